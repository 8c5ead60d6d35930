"""Safe YAML loading that remembers where every value came from.

The document is *composed* (never constructed by PyYAML), then turned into
plain Python values here: only the core tags are accepted, so no tag can run
code, and alias expansion is bounded so an anchor bomb ends quickly. Every
value's line and column are kept, keyed by its path, for error messages.
"""

from __future__ import annotations

from beibei_cli.errors import DataError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import yaml

    Path = tuple[str | int, ...]

MAX_DIGITS = 4000  # digits in a whole number (Python's int() refuses more than 4,300)
MAX_REPEATS = 100_000  # values built a second time or more through aliases

_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class Loaded:
    """A parsed document: its value and the (line, column) of each path (1-based)."""

    def __init__(self, value: Any, marks: dict[Path, tuple[int, int]]) -> None:
        self.value = value
        self.marks = marks

    def where(self, path: Path) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that has one."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


def load(text: str, filename: str) -> Loaded:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
        if mark is None:
            raise DataError.at(filename, problem) from None
        raise DataError.at(filename, problem, mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as exc:  # reader errors (control characters, ...)
        raise DataError.at(filename, f"YAML error: {_one_line(str(exc))}") from None
    except RecursionError:
        raise DataError.at(filename, "YAML nesting is too deep") from None
    if node is None:
        raise DataError.at(filename, "the file holds no YAML document")
    builder = _Builder(filename)
    try:
        value = builder.build(node, ())
    except RecursionError:
        raise DataError.at(filename, "YAML nesting is too deep") from None
    return Loaded(value, builder.marks)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Builder:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.marks: dict[Path, tuple[int, int]] = {}
        self.repeats = 0
        self.seen: set[int] = set()
        self._scalar: Any = None

    def _fail(self, node: yaml.Node, message: str) -> DataError:
        mark = node.start_mark
        return DataError.at(self.filename, message, mark.line + 1, mark.column + 1)

    def build(self, node: yaml.Node, path: Path) -> Any:
        import yaml

        if id(node) in self.seen:
            self.repeats += 1
            if self.repeats > MAX_REPEATS:
                raise self._fail(
                    node,
                    f"aliases expand the document by more than {MAX_REPEATS} values "
                    "(an alias/anchor bomb?); refusing to load it",
                )
        else:
            self.seen.add(id(node))
        if path and path[-1] != "<key>" and path not in self.marks:
            self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _CORE_TAGS:
            raise self._fail(node, f"unsupported YAML tag {node.tag!r} (only plain data is allowed)")
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self._fail(key_node, "YAML merge keys (<<) are not supported")
                key = self.build(key_node, (*path, "<key>"))
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    raise self._fail(key_node, "a mapping key must be a plain scalar")
                if key in result:
                    raise self._fail(key_node, f"duplicate key {key!r}")
                result[key] = self.build(value_node, (*path, str(key)))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._construct_scalar(node)

    def _construct_scalar(self, node: yaml.Node) -> Any:
        import yaml

        if self._scalar is None:
            self._scalar = yaml.SafeLoader("")
        if node.tag == "tag:yaml.org,2002:int":
            # YAML 1.1 also reads 0x32, 0o17, 0b11, 1_000 and 1:30 as numbers: a figure is
            # written in decimal digits, and short enough for int() (4,300 digits)
            digits = node.value.lstrip("+-")
            if not (digits.isascii() and digits.isdigit()):
                raise self._fail(node, f"write the number in decimal digits (0-9), got {node.value!r}")
            if len(digits) > MAX_DIGITS:
                raise self._fail(node, f"a number of {len(digits)} digits; at most {MAX_DIGITS} are read")
        try:
            return self._scalar.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self._fail(node, f"bad scalar: {_one_line(str(exc))}") from None
