"""Expected failures of reading a page; each carries a one-line reason for the user."""


class ParseError(Exception):
    """A page that cannot be turned into articles."""


class EmptyPageError(ParseError):
    pass


class BinaryContentError(ParseError):
    pass


class UndecodableTextError(ParseError):
    pass


class NoArticlesError(ParseError):
    pass
