# coding: shift_jis
"""シフトJISのモジュール."""
VALUE = "表示"  # 表


def f(x):
    if x:
        return "はい"
    return "いいえ"
