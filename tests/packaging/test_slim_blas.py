"""packaging/slim_blas.py: the bundle's drop-in for numpy's OpenBLAS. Loaded in OpenBLAS's place (same
soname, preloaded), numpy's products give OpenBLAS's answers, the engine's results are the same figure for
figure on every example, and LAPACK (unused) fails in one line instead of answering wrongly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))
import slim_blas  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not all(
    shutil.which(tool) for tool in ("gcc", "nm", "readelf")), reason="the stub is built on Linux with gcc and binutils")
NUMPY = Path(np.__file__).parent
OPENBLAS = sorted((NUMPY.parent / "numpy.libs").glob("libscipy_openblas*.so"))
# Products that reach each CBLAS routine numpy's core calls (gemm, gemv, syrk, dot, dotc), in every type,
# C and Fortran order, transposed and strided: the stub's loops must index all of them as OpenBLAS does.
PRODUCTS = """
import numpy as np
rng = np.random.default_rng(7)
out = {}
for dtype in ("float32", "float64", "complex64", "complex128"):
    def m(*shape):
        values = rng.standard_normal(shape) + (1j * rng.standard_normal(shape) if "complex" in dtype else 0)
        return values.astype(dtype)
    a, b, v = m(5, 7), m(7, 3), m(7)
    f = np.asfortranarray(a)
    cases = {"gemm": a @ b, "gemm_f": f @ b, "gemm_t": b.T @ a.T, "gemm_strided": a[::2, ::2] @ b[::2, :],
             "gemv": a @ v, "gemv_t": v[:5] @ a, "gemv_f": f @ v, "syrk": a @ a.T, "syrk_t": a.T @ a,
             "syrk_f": f @ f.T, "dot": v @ v, "dot_strided": np.dot(v[:6:2], v[1::2]), "vdot": np.vdot(v, v),
             "scaled": 2.5 * (a @ b) + a[:, :3]}
    for name, value in cases.items():
        out[f"{dtype}-{name}"] = np.asarray(value)
np.savez(OUT, **out)
maps = open("/proc/self/maps").read()
print("stub" if "STUB_DIR" in maps else "real", flush=True)
"""


@pytest.fixture(scope="module")
def stub(tmp_path_factory) -> Path:
    assert OPENBLAS, "numpy's wheel links OpenBLAS here"
    extensions = [*NUMPY.glob("_core/_multiarray_umath*.so"), *NUMPY.glob("linalg/_umath_linalg*.so")]
    return slim_blas.build(OPENBLAS[0], extensions, tmp_path_factory.mktemp("blas"))


def _run(args: list[str], stub: Path | None, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LLM_ADVISOR_HOME": str(kwargs.pop("home"))}
    if stub is not None:
        env["LD_PRELOAD"] = str(stub)
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=300)


def test_the_stub_serves_every_symbol_and_is_a_fraction_of_openblas(stub):
    assert stub.name == OPENBLAS[0].name
    assert stub.stat().st_size < OPENBLAS[0].stat().st_size / 100


def test_numpy_products_through_the_stub_equal_openblas(stub, tmp_path):
    results = {}
    for name, library in (("stub", stub), ("real", None)):
        code = PRODUCTS.replace("OUT", repr(str(tmp_path / f"{name}.npz"))).replace("STUB_DIR", str(stub.parent))
        done = _run(["-c", code], library, home=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == name  # the stub really stood in for OpenBLAS (and only when preloaded)
        results[name] = np.load(tmp_path / f"{name}.npz")
    assert sorted(results["stub"].files) == sorted(results["real"].files) and len(results["real"].files) == 56
    for key in results["real"].files:
        tolerance = 1e-4 if "64" in key and "complex" in key or "32" in key else 1e-10
        np.testing.assert_allclose(results["stub"][key], results["real"][key], rtol=tolerance, atol=tolerance,
                                   err_msg=key)


def test_every_example_evaluates_to_the_same_json_through_the_stub(stub, tmp_path):
    for example in sorted((REPO / "examples").glob("*.llmassess")):
        outputs = [_run(["-m", "app", "evaluate", "--json", str(example)], library, home=tmp_path)
                   for library in (stub, None)]
        assert all(o.returncode == 0 for o in outputs), outputs[0].stderr + outputs[1].stderr
        assert outputs[0].stdout == outputs[1].stdout and outputs[0].stdout.startswith("{"), example.name


def test_lapack_through_the_stub_fails_in_one_line_never_silently(stub, tmp_path):
    done = _run(["-c", "import numpy as np; print(np.linalg.inv(np.eye(3) * 2))"], stub, home=tmp_path)
    assert done.returncode != 0 and not done.stdout
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("llm-advisor: numpy called the BLAS/LAPACK routine scipy_") and "slim_blas" in line
