class Shape:
    sides = 0

    def area(self):
        raise NotImplementedError

    def describe(self):
        return f"{type(self).__name__} with {self.sides} sides, area {self.area():.2f}"

    def unused_helper(self):
        return "never used"
