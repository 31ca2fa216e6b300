def forelse(seq):
    for n in seq:
        if n > 5:
            break
    else:
        print('None of the values were greater than 5')
    print('Done')
forelse([1,2])
