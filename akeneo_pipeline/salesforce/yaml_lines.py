"""Read a YAML file into plain Python values and remember the line of every key and value,
so a validation error can name the line a person has to fix.

PyYAML's `compose` keeps each node's start mark; the nodes are turned into dicts, lists
and scalars here (scalars by PyYAML's own SafeConstructor, so `true`, `62.0` and `null`
mean what they mean everywhere else). A key written twice is an error rather than
PyYAML's silent "last one wins".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlProblem:
    line: int | None
    path: Path
    message: str


@dataclass
class LinedYaml:
    """The document's data, and for each path (keys and list indexes) the 1-based line of its
    value and, for mapping entries, of its key."""

    data: Any
    value_lines: dict[Path, int] = field(default_factory=dict)
    key_lines: dict[Path, int] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)

    def line_of(self, path: Path, *, key: bool = False) -> int | None:
        """The line of `path`, or of its nearest ancestor the file has (a missing field is
        reported at the mapping that lacks it)."""
        probe = tuple(path)
        while True:
            if key and probe in self.key_lines:
                return self.key_lines[probe]
            if probe in self.value_lines:
                return self.value_lines[probe]
            if not probe:
                return None
            probe = probe[:-1]


def load_lined_yaml(text: str) -> LinedYaml:
    """Parse `text`; a syntax error comes back as a problem with its line, data None."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        line = mark.line + 1 if mark else None
        return LinedYaml(None, problems=[YamlProblem(line, (), f"not valid YAML: {message}")])
    except yaml.YAMLError as exc:
        return LinedYaml(None, problems=[YamlProblem(None, (), f"not valid YAML: {exc}")])
    result = LinedYaml(None)
    if root is None:
        return result
    result.data = _convert(root, (), result, SafeConstructor())
    return result


def _convert(node: yaml.Node, path: Path, out: LinedYaml, constructor: SafeConstructor) -> Any:
    out.value_lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key == "<<":
                out.problems.append(YamlProblem(key_node.start_mark.line + 1, path,
                                                f"unsupported key {key!r}: write plain names"))
                continue
            key_text = str(key) if not isinstance(key, str) else key
            child = (*path, key_text)
            if key_text in mapping:
                out.problems.append(YamlProblem(key_node.start_mark.line + 1, child,
                                                f"{key_text!r} is written twice (first on line "
                                                f"{out.key_lines[child]})"))
                continue
            out.key_lines[child] = key_node.start_mark.line + 1
            mapping[key_text] = _convert(value_node, child, out, constructor)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), out, constructor) for i, item in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)
