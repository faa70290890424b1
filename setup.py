"""Builds the Cython kernels csrc/<name>.pyx into minitf._ext.<name>.

A failed compile only warns (minitf then runs its pure-Python twins), unless MINITF_REQUIRE_EXT=1,
which CI sets so that a broken build fails loudly.
"""
import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# each is csrc/<name>.pyx, twin minitf/_pure/<name>.py; scopes.pyx includes names.pxi (the
# twin of minitf/_pure/names.py) so its fast paths call the name tables in C; fused.pyx includes
# fused_args.pxi (its argument checks)
KERNELS = ("store", "scopes", "crc32c", "fused")
# fused.pyx's optimizer updates equal the unfused NumPy ones bit for bit only if the compiler
# keeps each multiply and add apart (GCC and Clang contract them into FMAs where the CPU has
# them); without errno, sqrt is one vectorizable instruction; without trapping math, GCC
# vectorizes the selects of vector_f32.h's loops (they compare floats)
EXTRA_ARGS = {"fused": [] if sys.platform == "win32" else ["-ffp-contract=off",
                                                           "-fno-math-errno",
                                                           "-fno-trapping-math"]}
REQUIRE_EXT = os.environ.get("MINITF_REQUIRE_EXT") == "1"


class optional_build_ext(build_ext):
    """build_ext that falls back to the pure-Python kernels instead of failing the install."""

    def run(self):
        try:
            super().run()
        except Exception as exc:
            self._fail(exc)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._fail(exc)

    def _fail(self, exc):
        if REQUIRE_EXT:
            raise
        print(f"WARNING: minitf's Cython kernels failed to build ({exc}); the pure-Python "
              "kernels will be used.", file=sys.stderr)


def extensions():
    try:
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError as exc:
        if REQUIRE_EXT:
            raise
        print(f"WARNING: Cython unavailable ({exc}); the pure-Python kernels will be used.",
              file=sys.stderr)
        return []
    exts = [Extension(f"minitf._ext.{k}", [f"csrc/{k}.pyx"],
                      extra_compile_args=EXTRA_ARGS.get(k, [])) for k in KERNELS]
    return cythonize(exts, language_level=3, compiler_directives={"embedsignature": True})


setup(ext_modules=extensions(), cmdclass={"build_ext": optional_build_ext})
