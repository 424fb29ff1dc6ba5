"""Print the counts of the loaders' fuzzing (tests/saving/test_fuzz.py): per mutation family, how many mutated
files loaded as working models, how many ended in dendrite's WeightsFileError, and how many ended otherwise
(each of those is listed). The cases are the test's own, made by the same seeded generator.

    python tools/fuzz_saving.py
"""
import importlib.util
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    sys.path.insert(0, ROOT)
    spec = importlib.util.spec_from_file_location("test_fuzz", os.path.join(ROOT, "tests", "saving", "test_fuzz.py"))
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    with tempfile.TemporaryDirectory() as folder:
        report = fuzz.run_fuzz(folder)
    print(fuzz.format_report(report))
    for family, name, outcome, detail in report["failures"]:
        print(f"[{family}] {name}: {outcome}: {detail}")
    leaks = (report["calls"] + report["new_files"] + report["changed_files"] + report["removed_files"]
             + report["outside"])
    print("calls of os.system / subprocess / pickle / marshal, files written or removed:", leaks or "none")
    return 1 if report["failures"] or leaks else 0


if __name__ == "__main__":
    sys.exit(main())
