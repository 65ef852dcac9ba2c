"""schemathesis hooks for scripts/api-test.

Some limits of the API cannot be said in JSON Schema; the description says
them in words, and these hooks close the gap for the test run:
- `role` and `category` take the values the index knows (a role by any
  name, in any case; the index's categories): the description cannot list
  them, so the schema loaded for the run lists the ones the live server
  reports (`GET /roles`, and the category facet), and values outside them
  are generated as invalid, which the server answers with a 400;
- `q` is at most 512 bytes of UTF-8, while `maxLength` counts characters;
- `offset + limit` is at most 1000, while each is bounded on its own.
Cases generated as invalid are all kept.
"""

import json
import os
import urllib.parse
import urllib.request

import schemathesis

URL = os.environ["API_TEST_URL"]


def _get(path):
    with urllib.request.urlopen(URL + path, timeout=30) as response:
        return json.load(response)


def _known():
    roles = [r["id"] for r in _get("/roles")["roles"]]
    every_role = urllib.parse.quote(",".join(roles))
    facets = _get(f"/search?role={every_role}&limit=1")["facetDistribution"]
    # An empty value is no filter ("role=po,,ba" is po and ba).
    return [""] + roles, [""] + sorted(facets["category"])


@schemathesis.hook
def before_load_schema(context, raw_schema):
    roles, categories = _known()
    parameters = raw_schema["components"]["parameters"]
    parameters["role"]["schema"]["items"]["enum"] = roles
    parameters["category"]["schema"]["items"]["enum"] = categories


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@schemathesis.hook
def filter_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return True
    query = case.query or {}
    q = query.get("q")
    if isinstance(q, str) and len(q.encode("utf-8")) > 512:
        return False
    offset, limit = _number(query.get("offset", 0)), _number(query.get("limit", 10))
    if offset is not None and limit is not None and offset + limit > 1000:
        return False
    return True
