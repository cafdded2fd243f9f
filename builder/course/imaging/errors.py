"""What goes wrong with an image: each problem carries its problem code."""

from __future__ import annotations


class ImageProblem(Exception):
    """An image cannot be read, rendered or published; ``code`` is its problem code."""

    def __init__(self, message: str, code: str = "image.invalid") -> None:
        super().__init__(message)
        self.code = code


class Unsafe(ImageProblem):
    """Something in an SVG that would run or load in a browser."""

    def __init__(self, message: str) -> None:
        super().__init__(f"is unsafe: {message}", "image.unsafe")
