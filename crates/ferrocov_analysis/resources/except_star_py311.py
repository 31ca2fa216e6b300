def f():
    try:
        raise ExceptionGroup("g", [ValueError()])
    except* ValueError as eg:
        print(eg)
    except* TypeError:
        pass
    return 1
