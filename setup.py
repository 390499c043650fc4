"""Build the Cython core and compile the lexicon into the package.

Metadata lives in pyproject.toml; this file only declares the extensions and
makes sure fastpron/data/lexicon.fpl exists in the build.
"""

import os
import pathlib
import sys

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_py import build_py

ROOT = pathlib.Path(__file__).resolve().parent


class BuildWithLexicon(build_py):
    """Compile lexicon_data/lexicon.tsv to fastpron/data/lexicon.fpl before copying the package."""

    def run(self):
        sys.path.insert(0, str(ROOT))
        from fastpron.lexicon import DEFAULT_BINARY, DEFAULT_TSV, compile_file
        if DEFAULT_TSV.exists():
            compile_file(DEFAULT_TSV, DEFAULT_BINARY)
        super().run()


debug = os.environ.get("FASTPRON_DEBUG_BUILD") == "1"    # asan/valgrind builds
# The core, one module per stage; they share declarations through their .pxd files.
CORE_MODULES = ("_lookup", "_segment", "_model", "_render", "_core")
extensions = [
    Extension(
        f"fastpron.{name}",
        [f"fastpron/{name}.pyx"],
        # no fused multiply-add: the register model's mixed means (_model.reads_as_news) must round
        # as the pure-Python reference's do
        extra_compile_args=(["-O1", "-g", "-fno-omit-frame-pointer"] if debug else ["-O3"]) + ["-ffp-contract=off"],
    )
    for name in CORE_MODULES
]

setup(
    ext_modules=cythonize(extensions, compiler_directives={"language_level": "3"}, quiet=True),
    cmdclass={"build_py": BuildWithLexicon},
)
