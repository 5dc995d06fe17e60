"""Board notation: one layout, two spellings (MathML for the page, LaTeX for slides).

SymPy's printers write unevaluated numbers as "0.5 + -1" or "2 \\cdot -0.5" and
reorder sums; a worked example needs "0.5 - 1" and "2(-0.5)", with terms where
the formula put them. So the tree of :mod:`losses.arithmetic` is laid out
here, once, into a few box types (tuples: ``("mi", mathml, latex)``, ``("mn",
text)``, ``("mo", mathml, latex)``, ``("neg", x)``, ``("row", items)``,
``("paren", x)``, ``("abs", x)``, ``("sup", base, exp)``, ``("sub", base, sub)``,
``("frac", num, den)``, ``("sqrt", x)``, ``("text", s)``, ``("raw", mathml,
latex)``) that two small backends spell out. Precedence, signs and
parentheses are decided in the layout, so both spellings always agree.

The sign rules a teacher follows: a term that is a negative literal is
written as a subtraction ("-1 - 0.15"); a negative number that was substituted
for a variable, or that sits anywhere but at the front, is parenthesised
("0.5(-0.3)", "(-0.5)^2"). Numbers are written for people: four significant
digits (five when that is exact, as 1.3225 is), no trailing zeros, and powers
of ten beyond 10^6 or below 10^-4.
"""

from __future__ import annotations

import html
import math
import re
from fractions import Fraction
from xml.sax.saxutils import escape

import sympy
from sympy.printing.mathml import mathml as sympy_mathml

from .arithmetic import Add, Call, Const, Mul, Num, Number, Opaque, Pow, Sym, literal, negative, power
from .functions import absval, sech, sgn, sigmoid, softplus, tanh

MINUS = ("mo", "\u2212", "-")
PLUS = ("mo", "+", "+")
CDOT = ("mo", "\u22c5", r"\cdot")
TIMES = ("mo", "\u2062", " ")  # invisible times: juxtaposition
APPLY = ("mo", "\u2061", "")  # function application: log(x)
ELLIPSIS = ("mo", "\u22ef", r"\cdots")
COMMA = ("mo", ",", ",")
UNDEFINED = ("text", "undefined")
ROUNDED = "rounded"  # the third entry of an ("mn", digits) box whose digits are rounded

NAMES = {
    sympy.log: ("log", r"\log"), sympy.sin: ("sin", r"\sin"), sympy.cos: ("cos", r"\cos"),
    sympy.tan: ("tan", r"\tan"), tanh: ("tanh", r"\tanh"), sigmoid: ("\u03c3", r"\sigma"),
    softplus: ("softplus", r"\operatorname{softplus}"), sympy.sign: ("sgn", r"\operatorname{sgn}"),
    sgn: ("sgn", r"\operatorname{sgn}"), sech: ("sech", r"\operatorname{sech}"),
    sympy.cosh: ("cosh", r"\cosh"), sympy.sinh: ("sinh", r"\sinh"),
}
CONSTANTS = {sympy.pi: ("\u03c0", r"\pi"), sympy.E: ("e", "e")}


# -- numbers -----------------------------------------------------------------------------------
def _digits(a: float) -> tuple[str, int | None]:
    """(mantissa, power of ten or None) of a positive finite number, short enough to check by hand."""
    if 1e-4 <= a < 1e4:
        exact = f"{a:.12g}"  # float noise aside: (-1.15)^2 is 1.3225
        if "e" not in exact and len(exact.replace(".", "").strip("0")) <= 5:
            return exact, None  # 1.3225 as it is: a square a student can check
        if "e" not in (s := f"{a:.4g}"):
            return s, None
    if 1e4 <= a < 1e6:
        return f"{a:.0f}", None
    mantissa, exponent = f"{a:.3e}".split("e")
    return mantissa.rstrip("0").rstrip("."), int(exponent)


def plain(v: Number) -> str:
    """A number for a sentence: "-1.15", "2.5e-7", "undefined"."""
    if isinstance(v, Fraction):
        return str(v)
    if not math.isfinite(v):
        return "undefined"
    if v == 0:
        return "0"
    mantissa, exponent = _digits(abs(v))
    return ("-" if v < 0 else "") + mantissa + ("" if exponent is None else f"e{exponent}")


def _exact(a: float, mantissa: str, exponent: int | None) -> bool:
    """Whether the digits shown are the number itself, float noise (0.1 + 0.2) aside."""
    shown = float(mantissa if exponent is None else f"{mantissa}e{exponent}")
    return math.isclose(shown, a, rel_tol=1e-12)


def rounded(box) -> bool:
    """Whether a layout shows any number rounded: its equalities are then approximate."""
    if box[0] == "mn":
        return len(box) > 2
    if box[0] == "row":
        return any(rounded(b) for b in box[1])
    if box[0] in ("neg", "paren", "abs", "sqrt"):
        return rounded(box[1])
    if box[0] in ("sup", "sub", "frac"):
        return rounded(box[1]) or rounded(box[2])
    return False


def number(v: Number, lead: bool = True):
    """A number's layout; negative ones are parenthesised unless they lead."""
    if isinstance(v, float) and not math.isfinite(v):
        return UNDEFINED
    a = abs(v)
    if isinstance(v, Fraction):
        box = ("mn", str(a.numerator)) if a.denominator == 1 else ("frac", ("mn", str(a.numerator)),
                                                                     ("mn", str(a.denominator)))
    elif a == 0:
        box = ("mn", "0")
    else:
        mantissa, exponent = _digits(a)
        box = ("mn", mantissa) if _exact(a, mantissa, exponent) else ("mn", mantissa, ROUNDED)
        if exponent is not None:
            box = ("row", [box, ("mo", "\u00d7", r"\times"), ("sup", ("mn", "10"), number(Fraction(exponent)))])
    if v < 0:
        box = ("neg", box)
        return box if lead else ("paren", box)
    return box


# -- expressions --------------------------------------------------------------------------------
def layout(node, lead: bool = True):
    """The layout of a board tree; ``lead`` says whether a leading minus sign may stand bare."""
    if isinstance(node, Num):
        return number(node.value, lead)
    if isinstance(node, Sym):
        return ("mi", node.name, node.name)
    if isinstance(node, Const):
        mml, tex = CONSTANTS.get(node.expr, (str(node.expr), str(node.expr)))
        return ("mi", mml, tex)
    if isinstance(node, Add):
        items = [layout(node.terms[0], lead)]
        for t in node.terms[1:]:
            if negative(t):
                items += [MINUS, layout(_negate(t), False)]
            else:
                items += [PLUS, layout(t, False)]
        return ("row", items)
    if isinstance(node, Mul):
        return _product(node.factors, lead)
    if isinstance(node, Pow):
        return _power(node, lead)
    if isinstance(node, Call):
        return _call(node)
    if isinstance(node, Opaque):
        return ("raw", _xml_entities(sympy_mathml(node.expr, printer="presentation")), sympy.latex(node.expr))
    raise TypeError(f"cannot lay out {node!r}")


def _xml_entities(text: str) -> str:
    """SymPy writes HTML entities (&InvisibleTimes;) that XML lacks: spell them as characters."""
    keep = {"lt", "gt", "amp", "quot", "apos"}
    return re.sub(r"&([A-Za-z]+);", lambda m: m[0] if m[1] in keep else html.unescape(m[0]), text)


def _negate(term):
    if isinstance(term, Num):
        return Num(-term.value)
    first, *rest = term.factors
    return Mul((Num(-first.value), *rest))


def _unit(node) -> bool:
    return literal(node) and isinstance(node.value, Fraction) and abs(node.value) == 1


def _starts_with_digit(node) -> bool:
    if isinstance(node, Num):
        return node.value >= 0
    if isinstance(node, Pow):
        return _starts_with_digit(node.base) and not isinstance(node.base, (Add, Mul))
    return False


def _product(factors: tuple, lead: bool):
    """A product as written: reciprocals and a rational coefficient's denominator go under a fraction
    bar, a leading -1 becomes a bare minus sign, and a unit coefficient disappears."""
    numerator, denominator = [], []
    for f in factors:
        if isinstance(f, Pow) and literal(f.exp) and f.exp.value < 0:
            denominator.append(power(f.base, Num(-f.exp.value)))
        elif literal(f) and isinstance(f.value, Fraction) and f.value.denominator != 1:
            numerator.append(Num(Fraction(f.value.numerator)))
            denominator.append(Num(Fraction(f.value.denominator)))
        else:
            numerator.append(f)
    sign = False
    if numerator and literal(numerator[0]) and numerator[0].value < 0 and (len(numerator) > 1 or denominator):
        sign, numerator[0] = True, Num(-numerator[0].value)
    if numerator and _unit(numerator[0]) and (len(numerator) > 1 or denominator):
        numerator = numerator[1:]
    if denominator:
        box = ("frac", _juxtapose(numerator or [Num(Fraction(1))], True), _juxtapose(denominator, True))
    elif len(numerator) == 1 and isinstance(numerator[0], Add) and (sign or not lead):
        box = ("paren", layout(numerator[0]))  # -(a + b), and 1 - (1 + tan^2): never -a + b
    else:
        box = _juxtapose(numerator, lead and not sign)
    if sign:
        box = ("neg", box)
        return box if lead else ("paren", box)
    return box


def _juxtapose(factors: list, lead: bool):
    if len(factors) == 1:  # alone in a numerator or denominator: no parentheses needed
        return layout(factors[0], lead)
    items = [_factor(factors[0], first=lead)]
    for f in factors[1:]:
        items += [CDOT if _starts_with_digit(f) else TIMES, _factor(f, first=False)]
    return ("row", items)


def _factor(node, first: bool):
    return ("paren", layout(node)) if isinstance(node, (Add, Mul)) else layout(node, lead=first)


def _power(node, lead: bool):
    base, exp = node.base, node.exp
    if literal(exp) and exp.value == Fraction(1, 2):
        return ("sqrt", layout(base))
    if literal(exp) and exp.value < 0:
        return ("frac", ("mn", "1"), layout(power(base, Num(-exp.value))))
    if isinstance(base, Call) and base.func in NAMES and literal(exp) and exp.value > 0:
        name = NAMES[base.func]
        return ("row", [("sup", ("mi", *name), layout(exp)), APPLY, _arguments(base)])
    fraction = isinstance(base, Num) and isinstance(base.value, Fraction) and base.value.denominator != 1
    # 1.5 x 10^-5 squared needs its brackets: as a bare base only the 10 would be squared
    bare = isinstance(base, (Sym, Const)) or (isinstance(base, Num) and base.value >= 0 and not fraction
                                              and number(base.value)[0] == "mn")
    return ("sup", layout(base) if bare else ("paren", layout(base)), layout(exp))


def _arguments(node):
    items = []
    for a in node.args:
        items += [COMMA, layout(a)] if items else [layout(a)]
    return ("paren", items[0] if len(items) == 1 else ("row", items))


def _call(node):
    if node.func is sympy.exp:
        return ("sup", ("mi", "e", "e"), layout(node.args[0]))
    if node.func in (sympy.Abs, absval):
        return ("abs", layout(node.args[0]))
    name = node.func.__name__
    mml, tex = NAMES.get(node.func, (name, r"\operatorname{%s}" % name))
    return ("row", [("mi", mml, tex), APPLY, _arguments(node)])


def pair(a: float, b: float):
    """A point or vector written (a, b)."""
    return ("paren", ("row", [number(a), COMMA, number(b)]))


# -- spellings ------------------------------------------------------------------------------------
def _latex_join(parts) -> str:
    out = ""
    for p in parts:
        if re.search(r"\\[A-Za-z]+$", out) and re.match(r"[A-Za-z0-9]", p):
            out += " "
        out += p
    return out


def latex(box) -> str:
    kind = box[0]
    if kind in ("mi", "raw"):
        return box[2]
    if kind == "mn":
        return box[1]
    if kind == "mo":
        return {"": "", " ": " ", ",": ", ", "'": "'"}.get(box[2], f" {box[2]} ")
    if kind == "neg":
        return "-" + latex(box[1])
    if kind == "row":
        return _latex_join(latex(b) for b in box[1])
    if kind == "paren":
        return r"\left(%s\right)" % latex(box[1])
    if kind == "abs":
        return r"\left|%s\right|" % latex(box[1])
    if kind == "sup":
        return "%s^{%s}" % (latex(box[1]), latex(box[2]))
    if kind == "sub":
        return "%s_{%s}" % (latex(box[1]), latex(box[2]))
    if kind == "frac":
        return r"\frac{%s}{%s}" % (latex(box[1]), latex(box[2]))
    if kind == "sqrt":
        return r"\sqrt{%s}" % latex(box[1])
    if kind == "text":
        return r"\text{%s}" % box[1]
    raise ValueError(f"unknown box {kind!r}")


def mathml(box) -> str:
    kind = box[0]
    if kind == "mi" and len(box[1]) == 1 and not box[1].isalpha():
        return f'<mi mathvariant="normal">{escape(box[1])}</mi>'  # an upright nabla, as in print
    if kind in ("mi", "mn", "mo"):
        return f"<{kind}>{escape(box[1])}</{kind}>"
    if kind == "raw":
        return f"<mrow>{box[1]}</mrow>"
    if kind == "neg":
        return f'<mrow><mo form="prefix">\u2212</mo>{mathml(box[1])}</mrow>'
    if kind == "row":
        return "<mrow>%s</mrow>" % "".join(mathml(b) for b in box[1])
    if kind in ("paren", "abs"):
        o, c = ("(", ")") if kind == "paren" else ("|", "|")
        return f"<mrow><mo>{o}</mo>{mathml(box[1])}<mo>{c}</mo></mrow>"
    if kind in ("sup", "sub", "frac"):
        tag = {"sup": "msup", "sub": "msub", "frac": "mfrac"}[kind]
        return f"<{tag}>{mathml(box[1])}{mathml(box[2])}</{tag}>"
    if kind == "sqrt":
        return f"<msqrt>{mathml(box[1])}</msqrt>"
    if kind == "text":
        return f"<mtext>{escape(box[1])}</mtext>"
    raise ValueError(f"unknown box {kind!r}")


def block(rows: list[list]) -> tuple[str, str]:
    """(MathML, LaTeX) of chains of equalities, one row per chain: a = b = c.

    A link is "=" only when neither side shows a rounded number; otherwise it is "≈", so a chain
    such as -0.6076 + 2.515 ≈ 1.907 never asks a student to believe an equality they cannot check."""
    links = [[_APPROX if rounded(a) or rounded(b) else _EQUALS for a, b in zip(row, row[1:])] for row in rows]
    mml_rows = [[mathml(b) for b in row] for row in rows]
    tex_rows = [[latex(b).strip() for b in row] for row in rows]

    def mml_chain(cells, rels):
        return "".join(f"<mo>{rel[0]}</mo>{cell}" for cell, rel in zip(cells, rels))

    def tex_chain(cells, rels):
        return "".join(f" {rel[1]} {cell}" for cell, rel in zip(cells, rels))

    if len(rows) == 1:
        inner = "<mrow>%s%s</mrow>" % (mml_rows[0][0], mml_chain(mml_rows[0][1:], links[0]))
        tex = tex_rows[0][0] + tex_chain(tex_rows[0][1:], links[0])
    else:
        # columnalign for MathML Full renderers (Firefox); Chromium aligns cells only by -webkit-right.
        inner = '<mtable columnalign="right left" displaystyle="true">%s</mtable>' % "".join(
            f'<mtr><mtd columnalign="right" style="text-align: right; text-align: -webkit-right">{r[0]}</mtd>'
            f'<mtd columnalign="left" style="text-align: left; text-align: -webkit-left">'
            f'<mrow>{mml_chain(r[1:], rels)}</mrow></mtd></mtr>'
            for r, rels in zip(mml_rows, links))
        tex = "\\begin{aligned}\n%s\n\\end{aligned}" % " \\\\\n".join(
            f"{r[0]} &{tex_chain(r[1:], rels).lstrip()}" for r, rels in zip(tex_rows, links))
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">{inner}</math>', tex


_EQUALS = ("=", "=")
_APPROX = ("\u2248", r"\approx")
