"""Forgiving place search: typos, word fragments and umlaut spellings.

The one search of places for ``/suche/``, the ``q`` filter of ``/orte/``, the feeds, the
GeoJSON/CSV exports and the API (``places.queries.PlaceFilters``):

- ``ranked_place_ids(query, scope=…)``: the primary keys of matching live places, best first;
- ``suggest(query)``: a corrected query for „Meinten Sie …?“, or ``""``;
- ``fold(text)``: the folding rule (lower case, ä→ae, ö→oe, ü→ue, ß→ss, accents dropped), the
  same as the database function ``kig_search_fold`` (migration 0006) and the static site's
  client-side search (``frontend_templates/static/js/search.js``).

Every word of the query must match (AND), each in any of these ways, best first:

1. the place's title contains it (a whole word before a word's beginning before a fragment);
2. teaser, municipality, former use, a tag or a category contains it, or Wagtail's full-text
   index (German stemming, the story too) has it;
3. only when the search finds fewer than ``FUZZY_BELOW`` places: one of the
   ``FUZZY_VARIANTS`` known words most like it (``pg_trgm`` similarity ≥
   ``SUGGEST_SIMILARITY``: titles' words, municipalities, former uses, tags, categories) is
   found as in 1 and 2, ranked after every exact hit.

On PostgreSQL: folded copies of title and texts kept by triggers, with GIN trigram indexes
(migration ``places.0006_search_trigram``); one statement for 1 and 2, one for the similar
words and one more with them. Visibility is a list of hidden tree paths (one small query),
not a subquery per place; when more than the limit of places have every word in their
title, only titles are searched. On SQLite (``make run`` without ``DATABASE_URL``) a simpler
fallback: 1 and 2 by comparing the folded texts in Python, plus Wagtail's fallback search;
no typos forgiven, suggestions from ``difflib``.
"""

from __future__ import annotations

import difflib
import itertools
import re

from django.db import connection

from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction

from core.languages import DEFAULT
from core.slugs import UMLAUTS
from core.visibility import unpublished_parents
from places.models import Category, PlacePage, PlacePageTag

SEARCH_RESULT_LIMIT = 1000
#: Similar words are looked for only for a word with fewer exact hits than this.
FUZZY_BELOW = 20
#: pg_trgm word similarity a similar word must reach (the extension's default is 0.6, which
#: misses „Cowrking“ for „Coworking“, 0.58).
FUZZY_SIMILARITY = 0.5
#: Similar known words searched for beside each word of a search with few hits.
FUZZY_VARIANTS = 3
#: „Meinten Sie …?“ is offered below this many hits.
SUGGEST_BELOW = 3
MAX_WORDS = 6
MIN_WORD = 2
#: pg_trgm ``similarity`` a suggested word must reach.
SUGGEST_SIMILARITY = 0.35

# The folding rule: umlauts spelled out as in slugs, accents dropped. The SQL function in
# migration 0006 spells out the same table.
_ACCENTS = dict(zip("áàâãåéèêëíìîïóòôõøúùûçñýÿ", "aaaaaeeeeiiiiooooouuucnyy", strict=True))
_FOLD = str.maketrans({**UMLAUTS, **_ACCENTS})

#: Words a search ignores (they are in nearly every text; PostgreSQL's German full-text
#: configuration ignores them too).
_STOPWORDS_TEXT = """aber alle als am an auch auf aus bei bin bis da das dass dem den der des die
dies doch du ein eine einem einen einer eines er es fuer hat ich ihr im in ist ja man mit nach
nicht noch nur ob oder sich sie sind so um und uns vom von vor war was wie wir wo zu zum zur
ueber"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, umlauts spelled out (ä→ae, ö→oe, ü→ue, ß→ss), accents dropped."""
    return (text or "").lower().translate(_FOLD)


def query_words(query: str) -> list[tuple[str, str]]:
    """The words of ``query`` that count, as (as typed, folded) pairs, at most ``MAX_WORDS``."""
    words = []
    for raw in re.split(r"[^\w]+", query or ""):
        folded = " ".join(_WORD.findall(fold(raw)))
        if len(folded) < MIN_WORD or folded in STOPWORDS:
            continue
        if folded not in (word for _raw, word in words):
            words.append((raw, folded))
    return words[:MAX_WORDS]


def ranked_place_ids(query: str, *, scope=None, limit: int = SEARCH_RESULT_LIMIT) -> list[int]:
    """Primary keys of the places the public may see (``core.visibility``) matching every
    word of ``query``, best first.

    ``scope``: a queryset of places the hits must be in as well (e.g. a listing's filters),
    applied in the same query.
    """
    words = query_words(query)
    if not words:
        return []
    if connection.vendor == "postgresql":
        return _postgres_search(words, scope, limit)
    return fallback_place_ids(words, scope, limit)


def suggest(query: str) -> str:
    """A corrected ``query`` whose words are the closest known words (place titles,
    municipalities, former uses, tags, categories), or ``""`` when nothing is closer."""
    words = query_words(query)
    if not words:
        return ""
    folded_words = [folded for _raw, folded in words]
    if connection.vendor == "postgresql":
        similar = _postgres_similar_words(folded_words, 1)
        found = {word: best[0][0] for word, best in similar.items()}
    else:
        found = fallback_suggestions(folded_words)
    corrected = [found.get(folded) or raw for raw, folded in words]
    if [fold(word) for word in corrected] == folded_words:
        return ""
    return " ".join(corrected)


# --- PostgreSQL ------------------------------------------------------------------------

#: Folded copies of a place's title and of its teaser, municipality and former use, kept by
#: triggers (migration 0006): folding at query time cost 0.1 ms per place.
FOLDED_TITLE = "pp.kig_search_title"
FOLDED_TEXT = "pp.kig_search_text"
PLACE_TYPE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'places' AND model = 'placepage')"
)


#: The threshold of pg_trgm's ``<%`` operator for this statement only (``is_local``: until
#: the end of the transaction; a statement in autocommit mode is one). As a condition without
#: a column it is evaluated once, before the scans it gates (a "one-time filter").
THRESHOLD = (
    "(SELECT set_config('pg_trgm.word_similarity_threshold', "
    f"'{FUZZY_SIMILARITY}', true)) IS NOT NULL"
)


def _fetch(sql: str, params: dict) -> list[tuple]:
    """Run ``sql`` never as a prepared statement (``DATABASE_PREPARED_STATEMENTS``): a
    generic plan, made without the words and the scope, took seconds where the plan for the
    actual words takes milliseconds."""
    connection.ensure_connection()
    raw = connection.connection
    before = getattr(raw, "prepare_threshold", None)
    if before is not None:
        raw.prepare_threshold = None
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        if before is not None:
            raw.prepare_threshold = before


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _title_sql(slot: int, variant: int, weight: str) -> str:
    """Places whose title contains the variant: 5 as a whole word, 4 as a word's beginning,
    3 inside a word (times ``weight``)."""
    w = f"%(w{slot}_{variant})s"
    return f"""
        SELECT pp.page_ptr_id AS id, {slot} AS w,
               {weight} * CASE WHEN {FOLDED_TITLE} ~ ('\\m' || {w} || '\\M') THEN 5
                    WHEN {FOLDED_TITLE} ~ ('\\m' || {w}) THEN 4 ELSE 3 END AS s
          FROM places_placepage pp WHERE {FOLDED_TITLE} LIKE %(like{slot}_{variant})s"""


def _other_sql(slot: int, variant: int, weight: str) -> str:
    """Places whose other texts contain the variant, 2 (times ``weight``); skipped when the
    titles alone give more than the limit."""
    like = f"%(like{slot}_{variant})s"
    gate = "NOT (SELECT enough FROM titles_enough)"
    return f"""
        SELECT pp.page_ptr_id, {slot}, {weight} * 2 FROM places_placepage pp
         WHERE {FOLDED_TEXT} LIKE {like} AND {gate}
        UNION ALL
        SELECT t.content_object_id, {slot}, {weight} * 2
          FROM places_placepagetag t JOIN taggit_tag g ON g.id = t.tag_id
         WHERE kig_search_fold(g.name) LIKE {like} AND {gate}
        UNION ALL
        SELECT pc.placepage_id, {slot}, {weight} * 2
          FROM places_placepage_categories pc JOIN places_category c ON c.id = pc.category_id
         WHERE kig_search_fold(c.name) LIKE {like} AND {gate}"""


def _scope_sql(scope, params: dict) -> str:
    """``scope``'s primary keys as SQL with named parameters (added to ``params``)."""
    inner, inner_params = scope.order_by().values("pk").query.sql_with_params()
    params.update((f"scope{number}", value) for number, value in enumerate(inner_params))
    numbers = itertools.count()
    # Each "%s", in order, becomes the next named parameter; "%%" stays a literal "%".
    return re.sub("%%|%s", lambda m: m[0] if m[0] == "%%" else f"%(scope{next(numbers)})s", inner)


def _full_text_sql(slot: int) -> str:
    """Places Wagtail's full-text index finds for the word as typed (German stems, the story
    too), 2; only when titles and texts give fewer than ``FUZZY_BELOW`` places for it (a
    frequent word's thousands of index hits cost more than all the rest)."""
    few = (
        f"(SELECT count(*) FROM (SELECT DISTINCT id FROM exact WHERE w = {slot} "
        f"LIMIT {FUZZY_BELOW}) found) < {FUZZY_BELOW}"
    )
    return f"""
        SELECT e.object_id::integer, {slot}, 2 FROM wagtailsearch_indexentry e
         WHERE e.content_type_id = {PLACE_TYPE}
           AND (e.title @@ plainto_tsquery('german', %(raw{slot})s)
                OR e.body @@ plainto_tsquery('german', %(raw{slot})s))
           AND {few}"""


def _postgres_ids(slots, scope, limit: int) -> list[int]:
    """``slots``: per query word, its variants as (as typed, folded, weight); the first is
    the word itself (weight 1), the others similar known words (weight below 0.34, so that
    any exact hit of a word ranks before every similar one)."""
    params: dict = {"limit": limit, "count": len(slots)}
    title, other = [], []
    for slot, variants in enumerate(slots):
        params[f"raw{slot}"] = variants[0][0]
        for variant, (_raw, folded, weight) in enumerate(variants):
            params[f"w{slot}_{variant}"] = folded
            params[f"like{slot}_{variant}"] = _like(folded)
            title.append(_title_sql(slot, variant, repr(float(weight))))
            other.append(_other_sql(slot, variant, repr(float(weight))))
    full_text = " UNION ALL ".join(_full_text_sql(slot) for slot in range(len(slots)))
    # German pages only: a translation is shown in its German page's place (core.languages).
    conditions = [
        "p.live",
        "p.locale_id IN (SELECT id FROM wagtailcore_locale WHERE language_code = %(language)s)",
    ]
    params["language"] = DEFAULT
    hidden = hidden_path_patterns()
    if hidden:
        params["hidden"] = hidden
        conditions.append("NOT (p.path LIKE ANY(%(hidden)s))")
    if scope is not None:
        # Once, hashed, for the candidates: not per candidate.
        conditions.append(f"r.id IN ({_scope_sql(scope, params)})")
    sql = f"""
        WITH title AS MATERIALIZED ({" UNION ALL ".join(title)}),
        titles_enough AS MATERIALIZED (
            SELECT count(*) > %(limit)s AS enough FROM (
                SELECT id FROM title GROUP BY id HAVING count(DISTINCT w) = %(count)s
                LIMIT %(limit)s + 1) every_word),
        exact AS MATERIALIZED (
            SELECT id, w, s FROM title UNION ALL {" UNION ALL ".join(other)}),
        hits AS (SELECT id, w, s FROM exact UNION ALL {full_text}),
        per_word AS (SELECT id, w, max(s) AS s FROM hits GROUP BY id, w),
        ranked AS (SELECT id, sum(s) AS score FROM per_word GROUP BY id
                   HAVING count(*) = %(count)s)
        SELECT r.id FROM ranked r JOIN wagtailcore_page p ON p.id = r.id
         WHERE {" AND ".join(conditions)}
        ORDER BY r.score DESC, p.title, p.id
        LIMIT %(limit)s"""
    return [row[0] for row in _fetch(sql, params)]


def _postgres_search(words, scope, limit: int) -> list[int]:
    """The words as typed; when that finds fewer than ``FUZZY_BELOW`` places, again with
    similar known words beside each (ranked after every exact hit)."""
    ids = _postgres_ids([[(raw, folded, 1)] for raw, folded in words], scope, limit)
    if len(ids) >= FUZZY_BELOW:
        return ids
    similar = _postgres_similar_words([folded for _raw, folded in words], FUZZY_VARIANTS)
    slots = [
        [(raw, folded, 1)]
        + [
            (word, fold(word), round(sim / 3, 3))
            for word, sim in similar.get(folded, [])
            if fold(word) != folded
        ]
        for raw, folded in words
    ]
    if all(len(variants) == 1 for variants in slots):
        return ids  # no word has a similar one
    return _postgres_ids(slots, scope, limit)


def _postgres_similar_words(words: list[str], count: int) -> dict[str, list[tuple[str, float]]]:
    """Up to ``count`` known words (place titles, municipalities, former uses, tags,
    categories) most like each of ``words`` (folded), as (word, similarity), best first; a
    word that is known itself comes first. Title words come from up to 50 titles with a
    similar word (trigram index); the short fields' distinct values are few."""
    sql = f"""
        WITH short AS MATERIALIZED (
            SELECT DISTINCT unnest(ARRAY[municipality, former_use]) AS word
              FROM places_placepage
            UNION SELECT name FROM taggit_tag
            UNION SELECT name FROM places_category)
        SELECT q.w, best.word, best.sim FROM unnest(%(words)s::text[]) AS q(w)
        CROSS JOIN LATERAL (
            SELECT word, similarity(kig_search_fold(word), q.w) AS sim FROM (
                SELECT regexp_split_to_table(titles.title, '[^[:alnum:]äöüÄÖÜß]+') AS word
                  FROM (SELECT p.title FROM places_placepage pp
                          JOIN wagtailcore_page p ON p.id = pp.page_ptr_id
                         WHERE p.live AND q.w <%% {FOLDED_TITLE} LIMIT 50) titles
                UNION
                SELECT word FROM short
            ) known
            WHERE length(word) > 1
              AND similarity(kig_search_fold(word), q.w) >= %(minimum)s
            ORDER BY sim DESC, word
            LIMIT %(count)s
        ) best
        WHERE {THRESHOLD}"""
    found: dict[str, list[tuple[str, float]]] = {}
    params = {"words": words, "minimum": SUGGEST_SIMILARITY, "count": count}
    for word, similar, similarity in _fetch(sql, params):
        found.setdefault(word, []).append((similar, similarity))
    return found


def hidden_path_patterns() -> list[str]:
    """``LIKE`` patterns of the tree paths the public may not see (``core.visibility``: at
    or below an unpublished page with children or a view restriction), in one query. As
    prefixes they cost the search nothing per place; ``visible_q()``'s subqueries cost
    about 0.01 ms per place, a tenth of a second for 10,000 hits."""
    paths = (
        unpublished_parents()
        .values_list("path", flat=True)
        .union(PageViewRestriction.objects.values_list("page__path", flat=True))
    )
    return sorted(f"{path}%" for path in paths)


# --- SQLite and other databases: the fallback -------------------------------------------


def _place_texts():
    """Per visible place: (pk, title, other texts), tags and categories included."""
    names: dict[int, list[str]] = {}  # per place: its tags, then its categories
    for pk, name in itertools.chain(
        PlacePageTag.objects.values_list("content_object_id", "tag__name"),
        Category.objects.filter(places__isnull=False).values_list("places", "name"),
    ):
        names.setdefault(pk, []).append(name)
    rows = PlacePage.objects.visible().values_list(
        "pk", "title", "teaser", "municipality", "former_use"
    )
    for pk, title, teaser, municipality, former_use in rows:
        others = [teaser, municipality, former_use, *names.get(pk, [])]
        yield pk, title, " ".join(others)


def fallback_place_ids(words, scope, limit: int) -> list[int]:
    """Folded substring matches (title first) and Wagtail's fallback search, in Python."""
    backend_hits: dict[str, set[int]] = {}
    for raw, folded in words:
        found = PlacePage.objects.live().only("pk").search(raw, operator="and")
        backend_hits[folded] = {page.pk for page in found[:limit]}
    ranks: dict[int, tuple] = {}  # pk: (-score, title, pk), the order of the hits
    for pk, title, others in _place_texts():
        folded_title, folded_others = fold(title), fold(others)
        total = 0
        for _raw, folded in words:
            if folded in folded_title:
                best = 5 if folded in folded_title.split() else 3
            elif folded in folded_others or pk in backend_hits[folded]:
                best = 2
            else:
                break
            total += best
        else:
            ranks[pk] = (-total, title, pk)
    if scope is not None and ranks:
        allowed = set(scope.filter(pk__in=list(ranks)).values_list("pk", flat=True))
        ranks = {pk: rank for pk, rank in ranks.items() if pk in allowed}
    return sorted(ranks, key=ranks.get)[:limit]


def fallback_suggestions(words: list[str]) -> dict[str, str]:
    known: dict[str, str] = {}
    for _pk, title, others in _place_texts():
        for word in re.split(r"[^\w]+", f"{title} {others}"):
            if len(word) > 1:
                known.setdefault(fold(word), word)
    for name in Tag.objects.values_list("name", flat=True):
        known.setdefault(fold(name), name)
    found = {}
    for word in words:
        close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.75)
        if close:
            found[word] = known[close[0]]
    return found


def other_pages_ids(query: str, limit: int) -> list[int]:
    """Live pages other than places (regions, content pages) matching ``query``, through
    Wagtail's search index (full text, German stemming)."""
    words = query_words(query)
    if not words:
        return []
    text = " ".join(raw for raw, _folded in words)
    hits = (
        Page.objects.live()
        .not_type(PlacePage)
        .exclude(depth__lte=2)
        .only("pk")
        .search(text, operator="and")[:limit]
    )
    return [hit.pk for hit in hits]
