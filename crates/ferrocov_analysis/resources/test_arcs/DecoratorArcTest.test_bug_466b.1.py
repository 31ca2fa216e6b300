class Parser(object):

    @classmethod
    def parse(cls):
        formats = [
            6,
        ]
        return None

Parser.parse()
