"""The W3C SPARQL 1.1 query-evaluation tests, run over HTTP against ``iprkg serve``.

* ``manifest`` reads the W3C manifests (mf:, qt:, dawgt:) into ``W3cTest``s;
* ``server`` starts one real ``iprkg serve`` holding every test's data;
* ``runner`` sends a test's query over the SPARQL protocol and judges the answer;
* ``results`` parses answers and expected results with rdflib and compares them, as
  bags, with blank nodes matched by a bijection;
* ``expected_failures`` is the one table of tests known to fail, each with its reason;
* ``conformance`` writes docs/conformance.md; ``python -m support.w3c`` (from tests/) runs it.

tests/e2e/test_w3c_query.py is the pytest side.
"""
