"""Run stdlib test modules with unittest and record every test's outcome.

Run with the harness's interpreter (the copy first on sys.path). argv: OUT UNIT... where each UNIT
is a dotted test module or package (`test.test_json`, `test.test_asyncio.test_tasks`). Writes OUT:
JSON {test id: [outcome, detail]}, outcome one of pass, fail, error, skip, xfail, xpass; a unit
that cannot be imported shows as unittest's `_FailedTest` error. Resources that regrtest would
have to enable (network, cpu, subprocess...) are denied, so those tests skip on every run alike.
"""
import sys
import traceback
import unittest

from jsonout import dump

OUT = sys.argv[1]
UNITS = sys.argv[2:]


class Recorder(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.outcomes = {}

    def note(self, test, outcome, err=None):
        detail = ""
        if err is not None:
            lines = traceback.format_exception_only(err[0], err[1])
            detail = lines[-1].strip()[:300] if lines else ""
        prev = self.outcomes.get(test.id())
        # A test that failed in any subtest stays failed.
        if prev is None or prev[0] in ("pass", "skip"):
            self.outcomes[test.id()] = [outcome, detail]

    def addSuccess(self, test):
        super().addSuccess(test)
        self.note(test, "pass")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.note(test, "fail", err)

    def addError(self, test, err):
        super().addError(test, err)
        self.note(test, "error", err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcomes.setdefault(test.id(), ["skip", str(reason)[:200]])

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.note(test, "xfail")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.note(test, "xpass")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self.note(test, "fail" if issubclass(err[0], test.failureException) else "error", err)


def main():
    try:
        from test import support

        support.use_resources = []
        support.verbose = 0
    except BaseException as e:  # noqa: BLE001 - a broken test.support fails every unit
        with open(OUT, "w", encoding="utf-8") as f:
            f.write(dump({"<test.support>": ["error", "%s: %s" % (type(e).__name__, e)]}))
        return
    result = Recorder()
    for unit in UNITS:
        try:
            suite = unittest.defaultTestLoader.loadTestsFromName(unit)
        except unittest.SkipTest as e:
            result.outcomes["<load %s>" % unit] = ["skip", str(e)[:200]]
            continue
        except BaseException as e:  # noqa: BLE001
            result.outcomes["<load %s>" % unit] = ["error", "%s: %s" % (type(e).__name__, e)]
            continue
        suite.run(result)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(dump(result.outcomes))


main()
