class Parser(object):

    @classmethod
    def parse(cls):
        formats = [ 5 ]


        return None

Parser.parse()
