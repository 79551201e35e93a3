"""Linux only: writes a drop-in for numpy's OpenBLAS (numpy.libs/libscipy_openblas64_-*.so, 25 MB, plus
libgfortran and libquadmath, 3 MB) that the app never calls.

    python packaging/slim_blas.py OUT_DIR LIBRARY EXTENSION...   # prints the stub's path, or nothing

numpy links its core (`_multiarray_umath`: matmul, dot) and `numpy.linalg` against OpenBLAS, so the
library must be there for `import numpy` to work. The engine uses none of it: element-wise arithmetic,
broadcasting, cumulative sums, percentiles and numpy.random's generators, which are numpy's own loops
(tests/packaging/test_slim_blas.py runs `llm-advisor evaluate` on the examples with this stub in place of
OpenBLAS and compares the JSON with the real library's, figure for figure). The stub has the same soname and
defines exactly the symbols the given extension modules import from it; each writes one line naming the
BLAS/LAPACK routine to stderr and aborts, so a future matrix product fails loudly, never silently.

Uses binutils' nm and gcc. When either is missing it prints a notice to stderr and nothing to stdout,
and the spec keeps OpenBLAS (LLM_ADVISOR_FULL_BLAS=1 keeps it on purpose)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

_SYMBOL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# numpy's core calls five CBLAS routines per type (dot, axpy, gemv, gemm, syrk; s/d/c/z): these are
# implemented here as plain loops (correct, unhurried: the engine calls none of them, but numpy checks
# its dot product on import, and a later `a @ b` must give the right answer). Everything else numpy
# could reach (LAPACK, through numpy.linalg) writes one line naming the routine and aborts.
STUB_BODY = r"""
#include <complex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef long blasint; /* ILP64: the routines' "64_" suffix */
enum { ROWMAJOR = 101, NOTRANS = 111, CONJTRANS = 113, UPPER = 121 };
#define OFF(ld, r, c, rm) ((rm) ? (r) * (ld) + (c) : (r) + (c) * (ld))
#define IDX(i, n, inc) ((inc) > 0 ? (i) * (inc) : ((n) - 1 - (i)) * -(inc))
#define SAME(e) (e)

static void missing(const char *name) {
    static const char head[] = "llm-advisor: numpy called the BLAS/LAPACK routine ";
    static const char tail[] = ", which this bundle leaves out (packaging/slim_blas.py)\n";
    (void)!write(2, head, sizeof head - 1);
    (void)!write(2, name, strlen(name));
    (void)!write(2, tail, sizeof tail - 1);
    abort();
}

#define DOT(name, T) \
T name(blasint n, const T *x, blasint incx, const T *y, blasint incy) { \
    T s = 0; \
    for (blasint i = 0; i < n; i++) s += x[IDX(i, n, incx)] * y[IDX(i, n, incy)]; \
    return s; }
#define DOTSUB(name, T, CJ) \
void name(blasint n, const void *xv, blasint incx, const void *yv, blasint incy, void *out) { \
    const T *x = xv, *y = yv; T s = 0; \
    for (blasint i = 0; i < n; i++) s += CJ(x[IDX(i, n, incx)]) * y[IDX(i, n, incy)]; \
    *(T *)out = s; }
#define AXPY(name, T, ADECL, AVAL) \
void name(blasint n, ADECL, const T *x, blasint incx, T *y, blasint incy) { \
    T al = AVAL; \
    for (blasint i = 0; i < n; i++) y[IDX(i, n, incy)] += al * x[IDX(i, n, incx)]; }
#define GEMV(name, T, ADECL, AVAL, BDECL, BVAL, CJ) \
void name(int order, int trans, blasint m, blasint n, ADECL, const T *a, blasint lda, const T *x, \
          blasint incx, BDECL, T *y, blasint incy) { \
    T al = AVAL, be = BVAL; int rm = order == ROWMAJOR, tr = trans != NOTRANS; \
    blasint leny = tr ? n : m, lenx = tr ? m : n; \
    for (blasint i = 0; i < leny; i++) { \
        T s = 0; \
        for (blasint j = 0; j < lenx; j++) { \
            T e = tr ? a[OFF(lda, j, i, rm)] : a[OFF(lda, i, j, rm)]; \
            s += (trans == CONJTRANS ? CJ(e) : e) * x[IDX(j, lenx, incx)]; } \
        T *yi = &y[IDX(i, leny, incy)]; \
        *yi = (be == 0 ? 0 : be * *yi) + al * s; } }
#define GEMM(name, T, ADECL, AVAL, BDECL, BVAL, CJ) \
void name(int order, int ta, int tb, blasint m, blasint n, blasint k, ADECL, const T *a, blasint lda, \
          const T *b, blasint ldb, BDECL, T *c, blasint ldc) { \
    T al = AVAL, be = BVAL; int rm = order == ROWMAJOR; \
    for (blasint i = 0; i < m; i++) for (blasint j = 0; j < n; j++) { \
        T s = 0; \
        for (blasint l = 0; l < k; l++) { \
            T x = ta == NOTRANS ? a[OFF(lda, i, l, rm)] : a[OFF(lda, l, i, rm)]; \
            T y = tb == NOTRANS ? b[OFF(ldb, l, j, rm)] : b[OFF(ldb, j, l, rm)]; \
            s += (ta == CONJTRANS ? CJ(x) : x) * (tb == CONJTRANS ? CJ(y) : y); } \
        T *cij = &c[OFF(ldc, i, j, rm)]; \
        *cij = (be == 0 ? 0 : be * *cij) + al * s; } }
#define SYRK(name, T, ADECL, AVAL, BDECL, BVAL) \
void name(int order, int uplo, int trans, blasint n, blasint k, ADECL, const T *a, blasint lda, BDECL, \
          T *c, blasint ldc) { \
    T al = AVAL, be = BVAL; int rm = order == ROWMAJOR, up = uplo == UPPER; \
    for (blasint i = 0; i < n; i++) for (blasint j = up ? i : 0; j < (up ? n : i + 1); j++) { \
        T s = 0; \
        for (blasint l = 0; l < k; l++) \
            s += trans == NOTRANS ? a[OFF(lda, i, l, rm)] * a[OFF(lda, j, l, rm)] \
                                  : a[OFF(lda, l, i, rm)] * a[OFF(lda, l, j, rm)]; \
        T *cij = &c[OFF(ldc, i, j, rm)]; \
        *cij = (be == 0 ? 0 : be * *cij) + al * s; } }
"""
_CBLAS = re.compile(r"^\w*cblas_([sdcz])(dot|dotu_sub|dotc_sub|axpy|gemv|gemm|syrk)64_$")
_TYPES = {"s": "float", "d": "double", "c": "float complex", "z": "double complex"}
_CONJ = {"c": "conjf", "z": "conj"}


def _implementation(symbol: str) -> str | None:
    """The C line implementing a CBLAS symbol numpy's core uses, or None (it gets the aborting stub)."""
    match = _CBLAS.match(symbol)
    if not match:
        return None
    kind, routine = match.groups()
    t = _TYPES[kind]
    if kind in "sd":
        scalars = (f"{t} alpha", "alpha", f"{t} beta", "beta")
        cj = "SAME"
    else:  # complex scalars come by pointer
        scalars = ("const void *alpha", f"(*(const {t} *)alpha)", "const void *beta", f"(*(const {t} *)beta)")
        cj = _CONJ[kind]
    if routine == "dot":
        return f"DOT({symbol}, {t})" if kind in "sd" else None
    if routine in ("dotu_sub", "dotc_sub"):
        return f"DOTSUB({symbol}, {t}, {cj if routine == 'dotc_sub' else 'SAME'})" if kind in "cz" else None
    if routine == "axpy":
        return f"AXPY({symbol}, {t}, {scalars[0]}, {scalars[1]})"
    if routine == "syrk":
        return f"SYRK({symbol}, {t}, {', '.join(scalars)})"
    return f"{routine.upper()}({symbol}, {t}, {', '.join(scalars)}, {cj})"


def _nm(path: Path, *flags: str) -> set[str]:
    out = subprocess.run(["nm", "-D", *flags, str(path)], capture_output=True, text=True, check=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}


def _soname(path: Path) -> str:
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
    return match.group(1) if match else path.name


def stub_source(symbols: list[str]) -> str:
    lines = [_implementation(name) or f"void {name}(void) {{ missing(\"{name}\"); }}" for name in symbols]
    return STUB_BODY + "\n".join(lines) + "\n"


def build(library: Path, extensions: list[Path], out_dir: Path) -> Path:
    """The stub for `library` serving every symbol the extension modules take from it."""
    defined = _nm(library, "--defined-only")
    wanted = sorted(set().union(*(_nm(ext, "--undefined-only") for ext in extensions)) & defined)
    if not wanted or not all(_SYMBOL.match(name) for name in wanted):
        raise RuntimeError(f"unexpected symbols imported from {library.name}: {wanted[:5]}")
    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir / "blas_stub.c"
    source.write_text(stub_source(wanted), encoding="utf-8")
    target = out_dir / library.name
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-s", "-o", str(target), str(source),
                    f"-Wl,-soname,{_soname(library)}"], check=True, capture_output=True, text=True)
    missing = set(wanted) - _nm(target, "--defined-only")
    if missing:
        raise RuntimeError(f"the stub lacks {sorted(missing)[:5]}")
    return target


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    if not sys.platform.startswith("linux") or not all(shutil.which(tool) for tool in ("nm", "gcc", "readelf")):
        print("slim_blas: needs Linux, nm, readelf and gcc; keeping OpenBLAS", file=sys.stderr)
        return 0
    out_dir, library, extensions = Path(argv[0]), Path(argv[1]), [Path(p) for p in argv[2:]]
    try:
        print(build(library, extensions, out_dir))
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        print(f"slim_blas: {error}; keeping OpenBLAS", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
