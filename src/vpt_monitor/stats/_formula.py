"""Model matrices from a formula: ``formulaic`` parses and encodes, numpy materialises.

A formula such as ``"victim ~ office + age + office:contact"`` is parsed by ``formulaic``
(an optional dependency, the ``models`` extra), with R's rules: a categorical column is
coded by treatment contrasts against its first category, keeping the category order of a
pandas ``Categorical`` or polars ``Enum`` and sorting other labels; an interaction is coded
full-rank or reduced as R's ``model.matrix`` does.

Variables are read once, by this library's own column readers (arrays, mappings, pandas or
polars columns), so that missing values and unknown labels get the library's messages.
When every factor of the formula is a plain column name (the common case), ``formulaic``
encodes only a small *prototype* frame - every combination of categories that a term
involves, with numeric variables set to 1 - and each column of the full model matrix is
then the prototype's column for the row's combination of categories times the row's numeric
factors: a gather and a product per column, with no per-row Python and no pandas on the
full data. Formulas with expressions (``np.log(age)``, ``C(x)``, ``I(x**2)``) are encoded by
``formulaic`` on the rows in use.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats import _frames
from vpt_monitor.stats._labels import factorize
from vpt_monitor.stats._validation import as_float_array

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

#: Largest prototype frame (rows) encoded for the fast path; beyond it formulaic does all.
PROTOTYPE_LIMIT = 200_000
#: Most combinations of categories over which :class:`FactoredCross` sums.
FACTORED_CELLS = 4096


def _formulaic() -> Any:
    try:
        import formulaic
    except ImportError:  # pragma: no cover - formulaic is in the test extra
        raise ImportError("formulas need formulaic: pip install 'vpt_monitor[models]'") from None
    return formulaic


@attrs.frozen(eq=False)
class Variable:
    """One variable of a formula, read: numbers, or category codes (-1: missing)."""

    name: str
    values: FloatArray | None = None  # numeric
    codes: IntArray | None = None  # categorical
    levels: tuple[Hashable, ...] = ()
    #: Categories of a categorical column that no row holds (left out of ``levels``).
    unused: tuple[Hashable, ...] = ()

    @property
    def categorical(self) -> bool:
        """Whether the variable is coded by categories."""
        return self.codes is not None

    @property
    def missing(self) -> BoolArray:
        """Rows without a value."""
        if self.codes is not None:
            return self.codes < 0
        assert self.values is not None
        return np.isnan(self.values)

    def take(self, rows: IntArray) -> Variable:
        """Return the variable at ``rows``."""
        if self.codes is not None:
            return attrs.evolve(self, codes=self.codes[rows])
        assert self.values is not None
        return attrs.evolve(self, values=self.values[rows])


def _frame_kind(data: object) -> str:
    library = _frames.frame_library(data)
    if library is not None:
        return library
    if isinstance(data, Mapping):
        return "mapping"
    raise TypeError(
        "'data' must be a pandas or polars DataFrame or a mapping {column name: values}; got "
        f"{type(data).__name__}"
    )


def check_quoting(formula: str, data: object) -> None:
    """Refuse a column whose name holds ``:``, ``-`` or a space written without backticks.

    In a formula ``incidents:verbaal`` is an interaction and ``sociale-media`` a
    subtraction; formulaic's messages about either never say that the name is a column.
    """
    if not isinstance(formula, str):
        return
    kind = _frame_kind(data)
    names = list(data) if kind == "mapping" else list(data.columns)  # type: ignore[attr-defined, call-overload]
    for name in names:
        text = str(name)
        if not any(mark in text for mark in ":- ") or text not in formula:
            continue
        if formula.count(text) > formula.count(f"`{text}`"):
            raise ValueError(
                f"the formula {formula!r} names the column {text!r}, whose ':', '-' or space "
                f"a formula reads as an operator: write it in backticks, `{text}`"
            )


def column_names(data: object) -> list[Hashable]:
    """Return the column names of a pandas or polars frame or of a mapping of columns."""
    kind = _frame_kind(data)
    return list(data) if kind == "mapping" else list(data.columns)  # type: ignore[attr-defined, call-overload]


def data_length(data: object) -> int:
    """Count the rows of ``data``; a mapping must have columns of one length."""
    kind = _frame_kind(data)
    if kind == _frames.PANDAS:
        return len(data.index)  # type: ignore[attr-defined]
    if kind == _frames.POLARS:
        return int(data.height)  # type: ignore[attr-defined]
    assert isinstance(data, Mapping)
    lengths = {name: len(np.atleast_1d(np.asarray(v))) for name, v in data.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name!r}: {k}" for name, k in lengths.items())
        raise ValueError(f"the columns of 'data' have different lengths ({listed})")
    return next(iter(lengths.values()), 0)


def _column(data: object, name: str, kind: str) -> Any:
    if kind == "mapping":
        assert isinstance(data, Mapping)
        if name not in data:
            listed = ", ".join(repr(k) for k in list(data)[:40])
            raise ValueError(
                f"the formula uses {name!r}, which is not a column of 'data'; its columns: {listed}"
            )
        return data[name]
    columns = list(data.columns)  # type: ignore[attr-defined]
    if name not in columns:
        source = _frames.Frame(data)
        raise ValueError(source.unknown("formula", name))
    if kind == _frames.PANDAS:
        return data[name]  # type: ignore[index]
    return data.get_column(name)  # type: ignore[attr-defined]


def read(data: object, name: str, *, categorical: bool | None = None) -> Variable:
    """Read one variable of ``data``: numbers, or categories for text and categorical columns.

    Booleans are numbers (0 and 1), as ``formulaic`` codes them.
    """
    kind = _frame_kind(data)
    value = _column(data, name, kind)
    role = f"formula variable {name!r}"
    if _frames.series_library(value) is not None:
        dtype = value.dtype
        library = _frames.series_library(value)
        if library == _frames.PANDAS:
            is_text = not (isinstance(dtype, np.dtype) and dtype.kind in "biuf") and not (
                getattr(dtype, "kind", "O") in "biuf" and type(dtype).__name__ != "CategoricalDtype"
            )
            if is_text and categorical is None and _frames.holds_numbers(value):
                is_text = False  # Decimals (read_sql's NUMERIC, pyarrow decimals) are numbers
        else:
            is_text = not (dtype.is_numeric() or str(dtype) == "Boolean")
        if categorical or (categorical is None and is_text):
            codes, labels = _frames.labels(value, role)
            levels = tuple(labels.tolist())
            return Variable(name, codes=codes, levels=levels, unused=_unused(value, levels))
        # a copy: the result's predictions and margins must not follow later changes the
        # caller makes to its own columns
        return Variable(name, values=_frames.numbers(value, role).astype(np.float64))
    array = np.asarray(value)
    if array.ndim != 1:
        raise ValueError(f"{role} must be one-dimensional; got shape {array.shape}")
    if categorical or (categorical is None and array.dtype.kind in "OUS"):
        codes, labels = factorize(role, array, len(array), allow_missing=True)
        return Variable(name, codes=codes, levels=tuple(labels.tolist()))
    if array.dtype == np.bool_:
        array = array.astype(np.float64)
    return Variable(name, values=as_float_array(role, array).astype(np.float64))


def _unused(series: Any, levels: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    """List the declared categories of a ``Categorical`` or ``Enum`` that no row holds."""
    dtype = series.dtype
    if type(dtype).__name__ == "CategoricalDtype":
        declared = list(dtype.categories.tolist())
    elif hasattr(dtype, "categories") and _frames.series_library(series) == _frames.POLARS:
        declared = list(dtype.categories.to_list())
    else:
        return ()
    present = set(levels)
    return tuple(category for category in declared if category not in present)


@attrs.frozen(eq=False)
class Term:
    """A term of the right-hand side: its factors (variable names) and its columns."""

    label: str
    factors: tuple[str, ...]
    columns: tuple[int, ...]
    categorical: tuple[str, ...]  # the categorical factors, in the order of `factors`
    patterns: FloatArray | None  # (combinations of categories, columns), fast path only


@attrs.frozen(eq=False)
class ModelSpec:
    """How a formula's right-hand side becomes a matrix: learnt on the fitted data."""

    formula: str
    response: str | None
    names: tuple[str, ...]
    terms: tuple[Term, ...]
    variables: tuple[str, ...]
    levels: Mapping[str, tuple[Hashable, ...]]
    fast: bool
    formulaic_spec: Any = attrs.field(default=None, repr=False)

    def term_columns(self, label: str) -> tuple[int, ...] | None:
        """Columns of the term ``label`` (interactions in any order), or None.

        A term is matched by its label as written, by its factors (a backticked column
        ``incidents:verbaal`` is one factor; the backticks may be left out), and then as an
        interaction whose parts are separated by ``:`` in any order.
        """
        plain = label.replace(" ", "")
        for term in self.terms:
            if plain in (term.label.replace(" ", ""), ":".join(term.factors).replace(" ", "")):
                return term.columns
            if plain.replace("`", "") == term.label.replace(" ", "").replace("`", ""):
                return term.columns
        wanted = sorted(plain.replace("`", "").split(":"))
        for term in self.terms:
            if sorted(term.label.replace(" ", "").replace("`", "").split(":")) == wanted:
                return term.columns
        return None

    def matrix(self, variables: Mapping[str, Variable], n: int) -> FloatArray:
        """Model matrix (``n x p``) of ``variables`` coded with this spec's categories."""
        if not self.fast:
            frame = _pandas_frame(variables, self.levels, n)
            formulaic = _formulaic()
            try:
                with np.errstate(all="ignore"):
                    encoded = self.formulaic_spec.get_model_matrix(frame, na_action="ignore")
            except formulaic.errors.FormulaicError as error:
                raise ValueError(
                    f"the formula {self.formula!r} cannot be evaluated: {error}"
                ) from None
            return np.asfortranarray(encoded, dtype=np.float64)
        result = np.empty((n, len(self.names)), order="F")  # column-major, for BLAS
        for term in self.terms:
            columns = list(term.columns)
            if not columns:
                continue
            numeric: FloatArray | None = None
            for name in term.factors:
                variable = variables[name]
                if not variable.categorical:
                    assert variable.values is not None
                    numeric = variable.values if numeric is None else numeric * variable.values
            if not term.categorical:
                for column in columns:  # the intercept, or a product of numbers
                    result[:, column] = 1.0 if numeric is None else numeric
                continue
            assert term.patterns is not None
            codes = [variables[name].codes for name in term.categorical]
            sizes = tuple(len(self.levels[name]) for name in term.categorical)
            combination: Any = (
                codes[0] if len(codes) == 1 else np.ravel_multi_index(tuple(codes), sizes)  # type: ignore[arg-type]
            )
            for j, column in enumerate(columns):  # one gather per column, written in place
                gathered = term.patterns[:, j][combination]
                result[:, column] = gathered if numeric is None else gathered * numeric
        return result

    def factored(
        self, variables: Mapping[str, Variable], n: int, *, force: bool = False
    ) -> FactoredCross | None:
        """Make the cross products of :meth:`matrix` sum per combination of categories.

        Returns None when that would not be faster than a product of the whole matrix, or
        not possible: a formula with expressions, no rows, more combinations of categories
        than :data:`FACTORED_CELLS` or than rows, more multiply-adds than the whole
        matrix's (many pairs of numeric groups, or large tables of combinations), or more
        stored products of two numbers than the matrix has columns. ``force`` builds it
        whenever it is possible, cheaper or not (to test it on small data).
        """
        if not self.fast or n == 0:
            return None
        in_terms = {name for term in self.terms if term.columns for name in term.factors}
        categorical = sorted(name for name in in_terms if variables[name].categorical)
        binary = sorted(
            name
            for name in in_terms
            if not variables[name].categorical and _zero_one(variables[name].values)
        )
        folded = categorical + binary
        sizes = [len(self.levels[name]) for name in categorical] + [2] * len(binary)
        n_cells = 1
        for size in sizes:
            n_cells *= size
        if n_cells > min(FACTORED_CELLS, n):
            return None
        codes: list[Any] = [variables[name].codes for name in categorical]
        codes += [np.asarray(variables[name].values, dtype=np.intp) for name in binary]
        cells: IntArray = (
            np.asarray(np.ravel_multi_index(tuple(codes), sizes), dtype=np.intp)
            if folded
            else np.zeros(n, dtype=np.intp)
        )
        grid: dict[str, IntArray] = (
            dict(zip(folded, np.unravel_index(np.arange(n_cells), sizes), strict=True))
            if folded
            else {}
        )
        p = len(self.names)
        patterns = np.ones((n_cells, p))
        numbers: dict[tuple[str, ...], int] = {(): 0}
        values: list[FloatArray | None] = [None]
        of_column = np.zeros(p, dtype=np.intp)
        for term in self.terms:
            columns = list(term.columns)
            if not columns:
                continue
            continuous = tuple(sorted(name for name in term.factors if name not in grid))
            if continuous not in numbers:
                numbers[continuous] = len(values)
                product = np.asarray(variables[continuous[0]].values, dtype=np.float64)
                for name in continuous[1:]:  # an overflow is refused by the caller's check
                    with np.errstate(over="ignore", invalid="ignore"):
                        product = product * np.asarray(variables[name].values, dtype=np.float64)
                values.append(product)
            of_column[columns] = numbers[continuous]
            scale = np.ones(n_cells)
            for name in term.factors:
                if name in binary:
                    scale = scale * grid[name]
            if term.categorical:
                assert term.patterns is not None
                shape = tuple(len(self.levels[name]) for name in term.categorical)
                where = np.ravel_multi_index(tuple(grid[name] for name in term.categorical), shape)
                patterns[:, columns] = term.patterns[where] * scale[:, None]
            else:
                patterns[:, columns] = scale[:, None]
        groups = tuple(np.flatnonzero(of_column == g) for g in range(len(values)))
        pairs = tuple(
            (g, h)
            for g in range(len(values))
            for h in range(g, len(values))
            if groups[g].size and groups[h].size
        )
        # the cost in multiply-adds: a pair of numeric groups is a product and a weighted
        # count over the rows (about five multiply-adds of the whole matrix's per row) and a
        # product of the combinations' columns; the whole matrix's, p(p+1)/2 + p per row.
        # Products of two numbers are kept, at most as many as the matrix has columns.
        sizes = [len(columns) for columns in groups]
        blocks = sum(n_cells * sizes[g] * (sizes[h] + 1) for g, h in pairs)
        stored = sum(1 for g, _ in pairs if g > 0)
        slower = 5 * len(pairs) * n + blocks > n * (p * (p + 1) // 2 + p)
        if (slower and not force) or stored > p:
            return None
        products: list[FloatArray | None] = []
        for g, h in pairs:
            first, second = values[g], values[h]
            if first is None:
                products.append(second)
            else:
                assert second is not None
                products.append(first * second)
        return FactoredCross(
            cells, n_cells, patterns, groups, tuple(values), pairs, tuple(products), np.empty(n)
        )

    def recode(self, variable: Variable, where: str) -> Variable:
        """Codes of ``variable`` against this spec's categories (new data to predict at)."""
        levels = self.levels.get(variable.name)
        if levels is None:
            return variable
        if variable.codes is None:  # numbers given for a categorical variable
            assert variable.values is not None
            found = variable.values
            labels: Sequence[Any] = found.tolist()
            missing = np.isnan(found)
        else:
            labels = [variable.levels[c] if c >= 0 else None for c in variable.codes.tolist()]
            missing = variable.codes < 0
        lookup = {_key(level): i for i, level in enumerate(levels)}
        # a year given as a number for categories read as text ("2016"), or the other way
        written = {str(_key(level)): i for i, level in enumerate(levels)}
        codes = np.empty(len(labels), dtype=np.intp)
        for i, label in enumerate(labels):  # one dictionary lookup per row of new data
            if missing[i]:
                codes[i] = -1
                continue
            code = lookup.get(_key(label))
            if code is None and not isinstance(label, bool):
                code = written.get(str(_key(label)))
            if code is None:
                shown = ", ".join(repr(level) for level in levels[:20])
                raise ValueError(
                    f"{where}: {variable.name!r} has {label!r} at row {i}, a category the "
                    f"model was not fitted with; its categories: {shown}"
                )
            codes[i] = code
        return Variable(variable.name, codes=codes, levels=levels)


def _zero_one(values: FloatArray | None) -> bool:
    """Whether numbers are all 0 or 1 (a boolean read as numbers).

    The first few values are looked at first: a measurement (an age, a score) is told from
    a 0/1 column without a pass over every row.
    """
    if values is None:
        return False
    head = values[:64]
    if not bool(np.all((head == 0) | (head == 1))):
        return False
    return bool(np.all((values == 0) | (values == 1)))


@attrs.frozen(eq=False)
class FactoredCross:
    r"""Cross products :math:`X^\top \operatorname{diag}(v) X` of a plain formula's matrix.

    They are summed over combinations of categories, not over rows.

    Every column :math:`j` of such a matrix is :math:`x_{ij} = c_j(k_i)\, u_{g(j)}(i)`:
    a value :math:`c_j` of the row's combination :math:`k_i` of categories (the intercept,
    indicators of categories and of 0/1 variables, and their products) times a product
    :math:`u_g` of numeric variables (1 for the group :math:`g = 0` without any). So

    .. math::

        (X^\top \operatorname{diag}(v) X)_{jl}
        = \sum_k c_j(k)\, c_l(k) \sum_{i: k_i = k} v_i\, u_{g(j)}(i)\, u_{g(l)}(i),

    one weighted count over the rows per pair of numeric groups (``numpy.bincount``) and,
    per pair, a small product of the ``combinations x columns`` table :math:`C`. Where
    both groups of a pair have the same :math:`c_j` in every combination (a number that
    interacts with no category, as ``age`` in ``y ~ office + age``), the block is that
    constant times one weighted sum, :math:`\sum_i v_i u_g(i) u_h(i)`: a dot product, not
    a count. For ``y ~ office + age + x + contact + layer`` that is three counts and three
    dot products instead of the 66 products per row of the whole matrix.
    """

    cells: IntArray  # the combination of every row
    n_cells: int
    patterns: FloatArray  # n_cells x p: c_j(k)
    groups: tuple[IntArray, ...]  # columns of each numeric group; group 0 has no number
    numbers: tuple[FloatArray | None, ...]  # u_g of each group (None: 1)
    pairs: tuple[tuple[int, int], ...]  # pairs of groups (g <= h) that have columns
    products: tuple[FloatArray | None, ...]  # u_g u_h of each pair (None: both are 1)
    scratch: FloatArray  # one value per row, reused by every call
    #: per group, its row of C when it is the same in every combination (else None)
    uniform: tuple[FloatArray | None, ...] = attrs.field(init=False)
    #: per pair, the positions of its block and of the block's transpose in the flat result
    places: tuple[tuple[IntArray, IntArray], ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        p = self.patterns.shape[1]
        uniform = []
        for columns in self.groups:
            table = self.patterns[:, columns]
            same = columns.size and bool(np.all(table == table[:1]))
            uniform.append(table[0].copy() if same else None)
        places = []
        for g, h in self.pairs:
            left, right = self.groups[g], self.groups[h]
            places.append(
                (
                    (left[:, None] * p + right[None, :]).ravel(),
                    (right[:, None] * p + left[None, :]).ravel(),
                )
            )
        object.__setattr__(self, "uniform", tuple(uniform))
        object.__setattr__(self, "places", tuple(places))

    def __call__(self, weights: FloatArray) -> FloatArray:
        r"""Return :math:`X^\top \operatorname{diag}(v) X` for ``weights`` :math:`v`."""
        p = self.patterns.shape[1]
        result = np.zeros(p * p)
        for (g, h), product, (place, mirror) in zip(
            self.pairs, self.products, self.places, strict=True
        ):
            first, second = self.uniform[g], self.uniform[h]
            if first is not None and second is not None:
                total = (
                    float(np.sum(weights)) if product is None else float(np.dot(weights, product))
                )
                block = np.outer(first, second) * total
            else:
                summed = (
                    weights if product is None else np.multiply(weights, product, out=self.scratch)
                )
                sums = np.bincount(self.cells, weights=summed, minlength=self.n_cells)
                left, right = self.groups[g], self.groups[h]
                block = (self.patterns[:, left] * sums[:, None]).T @ self.patterns[:, right]
            result[place] = block.ravel()
            result[mirror] = block.T.ravel()
        return result.reshape(p, p)

    @property
    def width(self) -> int:
        """Columns of the matrix."""
        return int(self.patterns.shape[1])

    def finite(self) -> bool:
        """Whether every value of the matrix is finite (those of its numbers are)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return all(
                values is None or bool(np.isfinite(np.sum(values))) for values in self.numbers
            )

    def linear(self, beta: FloatArray) -> FloatArray:
        r"""Return :math:`X \beta = \sum_g u_g(i)\, (C_g \beta_g)(k_i)`.

        Per numeric group a table of the combinations, :math:`C_g \beta_g`, looked up at
        every row's combination and multiplied by the group's number (a group that is the
        same in every combination: one number, :math:`c_g \cdot \beta_g`). Reads the rows'
        combinations and numbers, a few columns, where the whole matrix would be ``p``.
        """
        result = np.empty(len(self.cells))
        constant = 0.0  # of groups without a number that are the same in every combination
        started = False
        for columns, number, row in zip(self.groups, self.numbers, self.uniform, strict=True):
            if not columns.size:
                continue
            if row is not None and number is None:
                constant += float(row @ beta[columns])
                continue
            part = self.scratch if started else result  # the first part is written in place
            if row is not None:
                assert number is not None
                np.multiply(number, float(row @ beta[columns]), out=part)
            else:
                np.take(self.patterns[:, columns] @ beta[columns], self.cells, out=part)
                if number is not None:
                    np.multiply(part, number, out=part)
            if started:
                np.add(result, part, out=result)
            started = True
        if not started:
            result.fill(constant)
        elif constant:
            result += constant
        return result

    def vector(self, values: FloatArray) -> FloatArray:
        r"""Return :math:`X^\top v`: a weighted count per numeric group, times :math:`C`.

        A dot product instead of the count for a group whose :math:`c_j` is the same in
        every combination.
        """
        result = np.zeros(self.patterns.shape[1])
        for columns, number, row in zip(self.groups, self.numbers, self.uniform, strict=True):
            if not columns.size:
                continue
            if row is not None:
                total = float(np.sum(values)) if number is None else float(np.dot(values, number))
                result[columns] = row * total
                continue
            weighted = values if number is None else np.multiply(values, number, out=self.scratch)
            sums = np.bincount(self.cells, weights=weighted, minlength=self.n_cells)
            result[columns] = sums @ self.patterns[:, columns]
        return result

    def take(self, rows: IntArray) -> FactoredCross:
        """Return the cross products of the matrix's ``rows``."""

        def of(values: FloatArray | None) -> FloatArray | None:
            return None if values is None else values[rows]

        return FactoredCross(
            self.cells[rows],
            self.n_cells,
            self.patterns,
            self.groups,
            tuple(of(values) for values in self.numbers),
            self.pairs,
            tuple(of(values) for values in self.products),
            np.empty(len(rows)),
        )

    def group_sums(self, groups: IntArray, n_groups: int, values: FloatArray) -> FloatArray | None:
        r"""Sum :math:`x_{ij} z_i` over the rows of each group (``n_groups x p``).

        One weighted count per numeric group over the pairs (group, combination), times
        :math:`C` (over the groups alone for a numeric group whose :math:`c_j` is the same
        in every combination). None when that table would hold more cells than four per row
        (then a count per column of the matrix is cheaper).
        """
        size = n_groups * self.n_cells
        if size > 4 * len(self.cells):
            return None
        key: IntArray | None = None
        result = np.zeros((n_groups, self.patterns.shape[1]))
        for columns, number, row in zip(self.groups, self.numbers, self.uniform, strict=True):
            if not columns.size:
                continue
            weighted = values if number is None else np.multiply(values, number, out=self.scratch)
            if row is not None:
                totals = np.bincount(groups, weights=weighted, minlength=n_groups)
                result[:, columns] = totals[:, None] * row[None, :]
                continue
            if key is None:
                key = groups * self.n_cells + self.cells
            sums = np.bincount(key, weights=weighted, minlength=size).reshape(n_groups, -1)
            result[:, columns] = sums @ self.patterns[:, columns]
        return result


def _key(label: Any) -> Any:
    """Return a label as a dictionary key: numpy scalars as Python values, 1.0 as 1."""
    value = label.item() if isinstance(label, np.generic) else label
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _pandas_frame(variables: Mapping[str, Variable], levels: Mapping[str, Any], n: int) -> Any:
    import pandas as pd

    columns: dict[str, Any] = {}
    for name, variable in variables.items():
        if variable.categorical:
            assert variable.codes is not None
            categories = list(levels.get(name, variable.levels))
            columns[name] = pd.Categorical.from_codes(variable.codes, categories=categories)
        else:
            columns[name] = variable.values
    return pd.DataFrame(columns, index=pd.RangeIndex(n))


def _encode(formulaic: Any, formula: str, rhs: Any, frame: Any) -> Any:
    """Let formulaic encode ``rhs`` on ``frame``.

    Missing values were removed before; values an expression makes infinite or NaN (the
    log of 0) are left in, without numpy's warnings, for the caller to refuse with the
    column and the row.
    """
    try:
        with np.errstate(all="ignore"):
            return formulaic.model_matrix(rhs, frame, na_action="ignore")
    except formulaic.errors.FormulaicError as error:
        raise ValueError(f"the formula {formula!r} cannot be evaluated: {error}") from None


def parse(formula: str) -> tuple[str | None, Any, bool]:
    """Parse ``formula`` into its response, right-hand side and whether it is plain.

    The response is a column name or an expression; "plain" means every right-hand factor
    is a column name (the fast path).
    """
    if not isinstance(formula, str):
        raise TypeError(f"'formula' must be a string such as 'y ~ x + g'; got {formula!r}")
    return _parse_text(formula)


@functools.lru_cache(maxsize=64)
def _parse_text(formula: str) -> tuple[str | None, Any, bool]:
    """Parse a formula string (cached: refits of one formula to other data parse it once)."""
    formulaic = _formulaic()
    try:
        parsed = formulaic.Formula(formula)
    except formulaic.errors.FormulaicError as error:
        raise ValueError(f"'formula' {formula!r} cannot be parsed: {error}") from None
    if not hasattr(parsed, "lhs"):
        raise ValueError(
            f"'formula' {formula!r} has no response; write it as 'y ~ x + g' with the outcome "
            "left of '~'"
        )
    lhs = list(parsed.lhs)
    if len(lhs) != 1 or len(lhs[0].factors) != 1:
        left = formula.split("~", 1)[0].strip()
        quote = (
            f"; a column whose name holds ':' or '-' is written in backticks: `{left}` ~ ..."
            if any(mark in left for mark in ":-") and "`" not in left
            else ""
        )
        raise ValueError(f"'formula' {formula!r} must have one response left of '~'{quote}")
    response = lhs[0].factors[0].expr
    fast = all(
        str(factor.eval_method).endswith(("LOOKUP", "lookup", "LITERAL", "literal"))
        for term in parsed.rhs
        for factor in term.factors
    )
    return response, parsed.rhs, fast


def _prototype(
    rhs: Any, variables: Mapping[str, Variable]
) -> tuple[Any, list[tuple[str, tuple[str, ...], int, int, tuple[str, ...]]]] | None:
    """Make a small frame holding, for every term, each combination of its categories.

    Returns the frame and, per term, ``(label, categorical factors, first row, rows,
    factors)`` (the factors as formulaic names them: a backticked ``incidents:verbaal`` is
    one factor, not two); None when the frame would exceed :data:`PROTOTYPE_LIMIT` rows.
    """
    import pandas as pd

    blocks: list[dict[str, Any]] = []
    layout: list[tuple[str, tuple[str, ...], int, int, tuple[str, ...]]] = []
    start = 0
    for term in rhs:
        names = tuple(
            factor.expr
            for factor in term.factors
            if factor.expr in variables and variables[factor.expr].categorical
        )
        sizes = [len(variables[name].levels) for name in names]
        rows = int(np.prod(sizes)) if sizes else 1
        if start + rows > PROTOTYPE_LIMIT:
            return None
        grid = np.unravel_index(np.arange(rows), sizes) if sizes else ()
        block: dict[str, Any] = {}
        for name, variable in variables.items():
            if variable.categorical:
                codes = np.zeros(rows, dtype=np.intp)
                if name in names:
                    codes = np.asarray(grid[names.index(name)], dtype=np.intp)
                block[name] = codes
            else:
                block[name] = np.ones(rows)
        blocks.append(block)
        layout.append((str(term), names, start, rows, tuple(f.expr for f in term.factors)))
        start += rows
    columns: dict[str, Any] = {}
    for name, variable in variables.items():
        values = np.concatenate([block[name] for block in blocks])
        if variable.categorical:
            columns[name] = pd.Categorical.from_codes(values, categories=list(variable.levels))
        else:
            columns[name] = values
    return pd.DataFrame(columns), layout


def build_spec(
    formula: str, rhs: Any, fast: bool, variables: Mapping[str, Variable], n: int
) -> tuple[ModelSpec, FloatArray]:
    """Learn the encoding of ``rhs`` from ``variables`` (the rows in use).

    Returns the spec and the model matrix of those rows.
    """
    formulaic = _formulaic()
    levels = {name: v.levels for name, v in variables.items() if v.categorical}
    names_in_rhs = tuple(sorted(variables))
    prototype = _prototype(rhs, variables) if fast else None
    if prototype is None:
        frame = _pandas_frame(variables, levels, n)
        encoded = _encode(formulaic, formula, rhs, frame)
        spec = encoded.model_spec
        terms = tuple(
            Term(str(term), tuple(f.expr for f in term.factors), tuple(cols), (), None)
            for term, cols in spec.term_indices.items()
        )
        model = ModelSpec(
            formula=formula,
            response=None,
            names=tuple(spec.column_names),
            terms=terms,
            variables=names_in_rhs,
            levels=levels,
            fast=False,
            formulaic_spec=spec,
        )
        return model, np.asfortranarray(encoded, dtype=np.float64)
    frame, layout = prototype
    encoded = _encode(formulaic, formula, rhs, frame)
    spec = encoded.model_spec
    matrix = np.asarray(encoded, dtype=np.float64)
    indices = {str(term): tuple(cols) for term, cols in spec.term_indices.items()}
    learnt: list[Term] = []
    for label, categorical, start, rows, named in layout:
        columns = indices.get(label, ())
        factors = named if label != "1" else ()
        patterns = matrix[start : start + rows][:, list(columns)] if categorical else None
        learnt.append(Term(label, factors, columns, categorical, patterns))
    model = ModelSpec(
        formula=formula,
        response=None,
        names=tuple(spec.column_names),
        terms=tuple(learnt),
        variables=names_in_rhs,
        levels=levels,
        fast=True,
        formulaic_spec=spec,
    )
    return model, model.matrix(variables, n)


def required(rhs: Any) -> tuple[str, ...]:
    """Names of the columns the right-hand side uses."""
    return tuple(sorted(str(name) for name in rhs.required_variables))


def evaluate_response(expression: str, data: object, rows: int) -> Variable:
    """Read the response: a column, or an expression of columns (through formulaic)."""
    kind = _frame_kind(data)
    if kind == "mapping":
        assert isinstance(data, Mapping)
        present = expression in data
    else:
        present = expression in list(data.columns)  # type: ignore[attr-defined]
    if present:
        return read(data, expression, categorical=False)
    formulaic = _formulaic()
    import pandas as pd

    frame = (
        data
        if kind == _frames.PANDAS
        else data.to_pandas()  # type: ignore[attr-defined]
        if kind == _frames.POLARS
        else pd.DataFrame(dict(data))  # type: ignore[call-overload]
    )
    try:
        values = formulaic.model_matrix(f"{expression} ~ 1", frame, na_action="ignore").lhs
    except Exception as error:  # formulaic's own error types vary with the expression
        raise ValueError(f"the response {expression!r} cannot be evaluated: {error}") from None
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 2:
        if array.shape[1] != 1:
            raise ValueError(
                f"the response {expression!r} gives {array.shape[1]} columns; the response "
                "must be one number per row (for a category, compare: office == 'mayor')"
            )
        array = array[:, 0]
    if array.shape != (rows,):
        raise ValueError(f"the response {expression!r} has {array.size} values for {rows} rows")
    return Variable(expression, values=array)
