def func():
    try:
        raise ExceptionGroup("Zero!", [ZeroDivisionError()])
    except* ZeroDivisionError:
        pass
func()
