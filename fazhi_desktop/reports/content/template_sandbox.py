"""A template environment that cannot hang or exhaust memory, whatever a clerk (or a file) puts in a template.

Jinja2's sandbox keeps templates away from Python internals but not from endless work: nested loops, ``~`` doubling a
string, ``"x" * 10**9`` or a template that includes itself. Here every loop step, call, join and arithmetic on text
draws on one budget with a deadline; text and output sizes are capped before anything is allocated; lists and dicts
cannot be modified. Breaking a limit raises ``TemplateLimitError`` (a ``UserError`` with a Chinese message).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from fazhi_desktop.domain.errors import TemplateLimitError

DEADLINE_S = 5.0  # a real report renders in ≈10 ms
MAX_STEPS = 2_000_000  # loop steps, calls, joins
MAX_TEXT = 1_000_000  # characters in any one piece of text
MAX_OUTPUT = 2_000_000  # characters of the whole rendered report
MAX_NUMBER_ARG = 10_000  # widths, counts and the like given to filters
MAX_EXPONENT = 1_000
MAX_RESULT_BITS = 100_000  # an integer result of a power: far beyond any figure a report prints


class _Budget:
    def __init__(self, seconds: float, steps: int):
        self.deadline = time.monotonic() + seconds
        self.left = steps

    def tick(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise TemplateLimitError("模板的循环或运算次数过多（可能有多层嵌套循环），已停止生成。请简化模板。")
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(f"模板运行超过 {DEADLINE_S:g} 秒仍未完成（可能有多层嵌套循环），已停止生成。请简化模板。")


def _too_long(n: int) -> TemplateLimitError:
    return TemplateLimitError(f"模板生成的文字过长（{n} 个字符以上），已停止生成。请检查模板中的重复或循环。")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict) else 0


class _Limit(NodeTransformer):
    """Route every ``for`` through ``limited_iter`` and every ``~`` through ``limited_join``."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _env_call("limited_iter", node.iter, node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _env_call("limited_join", nodes.List(node.nodes, lineno=node.lineno), node.lineno)


def _env_call(name: str, arg: nodes.Expr, lineno: int) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(name, lineno=lineno), [arg], [], None, None, lineno=lineno)


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.budget = _Budget(DEADLINE_S, MAX_STEPS)
        self.globals["range"] = self.limited_range
        self.globals.pop("namespace", None)  # mutable state across loop steps is how small templates grow huge
        self.globals.pop("lipsum", None)  # lipsum(10**8) is one call that writes for minutes
        self.filters.pop("format", None)  # printf widths allocate before anything can check them

    def reset_budget(self, seconds: float = DEADLINE_S) -> None:
        self.budget = _Budget(seconds, MAX_STEPS)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Limit().visit(super()._parse(source, name, filename))

    # --- the hooks the transformed template calls -------------------------------------------------------------
    def limited_iter(self, seq: Iterable[Any]) -> Iterator[Any]:
        for item in seq:
            self.budget.tick()
            yield item

    def limited_join(self, parts: list[Any]) -> str:
        self.budget.tick()
        texts = [p if isinstance(p, str) else str(p) for p in parts]
        total = sum(map(len, texts))
        if total > MAX_TEXT:
            raise _too_long(MAX_TEXT)
        return "".join(texts)

    def limited_range(self, *args: int) -> range:
        if any(not isinstance(a, int) or abs(a) > 10 * MAX_NUMBER_ARG for a in args):
            raise TemplateLimitError(f"模板中 range() 的参数过大（不能超过 {10 * MAX_NUMBER_ARG}）。")
        return range(*args)

    # --- sandbox hooks ----------------------------------------------------------------------------------------
    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N807 - Jinja's names
        self.budget.tick()
        for value in (*args, *kwargs.values()):
            if _size(value) > MAX_TEXT:
                raise _too_long(MAX_TEXT)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > MAX_TEXT:
                    raise _too_long(MAX_TEXT)
        elif operator == "**":
            if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise TemplateLimitError(f"模板中的乘方过大（指数不能超过 {MAX_EXPONENT}）。")
            # (10**999)**999 is one C call that runs for hours: bound the size of the result, not only the exponent.
            if isinstance(left, int) and isinstance(right, int) and right > 0 and \
                    left.bit_length() * right > MAX_RESULT_BITS:
                raise TemplateLimitError("模板中的乘方结果过大，已停止生成。")
        elif operator == "+":
            if _size(left) + _size(right) > MAX_TEXT:
                raise _too_long(MAX_TEXT)
        elif operator == "%" and isinstance(left, str):
            raise TemplateLimitError("模板中不能用 % 格式化文字，请直接写出要显示的内容。")
        return super().call_binop(context, operator, left, right)

    def wrap_filters(self) -> None:
        """Filters get sizes checked before they run (a width of 10**9 is refused, not allocated)."""
        for name, fn in list(self.filters.items()):
            self.filters[name] = _limited_filter(self, fn)

    def render_limited(self, template_name: str, context: dict[str, Any], seconds: float = DEADLINE_S) -> str:
        """Render with a fresh budget; the output is gathered piece by piece so its size is checked as it grows."""
        self.reset_budget(seconds)
        pieces: list[str] = []
        total = 0
        try:
            for piece in self.get_template(template_name).generate(context):
                total += len(piece)
                if total > MAX_OUTPUT:
                    raise _too_long(MAX_OUTPUT)
                self.budget.tick()
                pieces.append(piece)
        except RecursionError:
            raise TemplateLimitError("模板引用了自身（或宏无限调用自身），无法生成。请检查 include、import 和宏。") from None
        except OverflowError as exc:
            raise TemplateLimitError(f"模板中的数值过大：{exc}") from None
        except MemoryError:
            raise _too_long(MAX_TEXT) from None
        return "".join(pieces)


def _limited_filter(env: LimitedEnvironment, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def limited(*args: Any, **kwargs: Any) -> Any:
        env.budget.tick()
        values = [a for a in (*args, *kwargs.values()) if not _is_context(a)]
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER_ARG and \
                    fn.__name__ in _WIDTH_FILTERS:
                raise TemplateLimitError(f"模板中过滤器 {fn.__name__} 的参数过大（不能超过 {MAX_NUMBER_ARG}）。")
        sizes = [_size(v) for v in values]
        if sizes and max(sizes) * (1 + sum(sorted(sizes)[:-1])) > 10 * MAX_TEXT:
            raise _too_long(MAX_TEXT)
        result = fn(*args, **kwargs)
        if _size(result) > MAX_TEXT:
            raise _too_long(MAX_TEXT)
        return result

    return limited


# Filters whose number arguments are sizes of what they produce.
_WIDTH_FILTERS = {"do_center", "do_indent", "do_truncate", "do_wordwrap", "do_batch", "do_slice", "do_round",
                  "do_filesizeformat", "do_random", "sync_do_batch", "sync_do_slice"}


def _is_context(value: Any) -> bool:
    from jinja2.nodes import EvalContext
    from jinja2.runtime import Context

    return isinstance(value, Context | EvalContext)
