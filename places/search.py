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
3. only when a word has fewer than ``FUZZY_BELOW`` such hits: a similar word (``pg_trgm``
   word similarity ≥ ``FUZZY_SIMILARITY``) in the title (first) or the other fields.

On PostgreSQL this is one SQL statement over GIN trigram indexes of the folded title and the
folded teaser/municipality/former use (migration ``places.0006_search_trigram``). On SQLite
(``make run`` without ``DATABASE_URL``) a simpler fallback: parts 1 and 2 by comparing the
folded texts in Python, plus Wagtail's fallback search; no typo tolerance, suggestions from
``difflib``.
"""

from __future__ import annotations

import difflib
import re

from django.db import connection

from taggit.models import Tag
from wagtail.models import Page

from places.models import Category, PlacePage, PlacePageTag

SEARCH_RESULT_LIMIT = 1000
#: Similar words are looked for only for a word with fewer exact hits than this.
FUZZY_BELOW = 20
#: pg_trgm word similarity a similar word must reach (the extension's default is 0.6, which
#: misses „Cowrking“ for „Coworking“, 0.58).
FUZZY_SIMILARITY = 0.5
#: „Meinten Sie …?“ is offered below this many hits.
SUGGEST_BELOW = 3
MAX_WORDS = 6
MIN_WORD = 2
#: pg_trgm ``similarity`` a suggested word must reach.
SUGGEST_SIMILARITY = 0.35

# The folding rule. The SQL function in migration 0006 spells out the same table.
_REPLACE = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))
FOLD_FROM = "áàâãåéèêëíìîïóòôõøúùûçñýÿ"
FOLD_TO = "aaaaaeeeeiiiiooooouuucnyy"
_TRANSLATE = str.maketrans(FOLD_FROM, FOLD_TO)

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
    text = (text or "").lower()
    for umlaut, spelled in _REPLACE:
        text = text.replace(umlaut, spelled)
    return text.translate(_TRANSLATE)


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
    """Primary keys of live places matching every word of ``query``, best first.

    ``scope``: a queryset of places the hits must be in (e.g. ``PlacePage.objects.visible()``
    with filters), applied in the same query.
    """
    words = query_words(query)
    if not words:
        return []
    if connection.vendor == "postgresql":
        return _postgres_ids(words, scope, limit)
    return fallback_place_ids(words, scope, limit)


def suggest(query: str) -> str:
    """A corrected ``query`` whose words are the closest known words (place titles,
    municipalities, former uses, tags, categories), or ``""`` when nothing is closer."""
    words = query_words(query)
    if not words:
        return ""
    if connection.vendor == "postgresql":
        found = _postgres_suggestions([folded for _raw, folded in words])
    else:
        found = fallback_suggestions([folded for _raw, folded in words])
    corrected = [found.get(folded) or raw for raw, folded in words]
    if [fold(word) for word in corrected] == [folded for _raw, folded in words]:
        return ""
    return " ".join(corrected)


# --- PostgreSQL ------------------------------------------------------------------------

FOLDED_TITLE = "kig_search_fold(p.title)"
FOLDED_TEXT = "kig_search_fold(pp.teaser || ' ' || pp.municipality || ' ' || pp.former_use)"
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


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _exact_sql(index: int) -> str:
    """Places whose texts contain word ``index``, scored 2–5 (title best)."""
    w = f"%(w{index})s"
    like = f"%(like{index})s"
    return f"""
        SELECT p.id, {index} AS w,
               CASE WHEN {FOLDED_TITLE} ~ ('\\m' || {w} || '\\M') THEN 5
                    WHEN {FOLDED_TITLE} ~ ('\\m' || {w}) THEN 4 ELSE 3 END AS s
          FROM wagtailcore_page p
         WHERE {FOLDED_TITLE} LIKE {like} AND p.content_type_id = {PLACE_TYPE}
        UNION ALL
        SELECT pp.page_ptr_id, {index}, 2 FROM places_placepage pp
         WHERE {FOLDED_TEXT} LIKE {like}
        UNION ALL
        SELECT t.content_object_id, {index}, 2
          FROM places_placepagetag t JOIN taggit_tag g ON g.id = t.tag_id
         WHERE kig_search_fold(g.name) LIKE {like}
        UNION ALL
        SELECT pc.placepage_id, {index}, 2
          FROM places_placepage_categories pc JOIN places_category c ON c.id = pc.category_id
         WHERE kig_search_fold(c.name) LIKE {like}
        UNION ALL
        SELECT e.object_id::integer, {index}, 2 FROM wagtailsearch_indexentry e
         WHERE e.content_type_id = {PLACE_TYPE}
           AND (e.title @@ plainto_tsquery('german', %(raw{index})s)
                OR e.body @@ plainto_tsquery('german', %(raw{index})s))"""


def _fuzzy_sql(index: int) -> str:
    """Places with a word like word ``index`` (pg_trgm word similarity), scored below 2,
    only when the word has fewer than ``FUZZY_BELOW`` exact hits."""
    w = f"%(w{index})s"
    gate = (
        f"(SELECT count(*) FROM (SELECT DISTINCT id FROM exact WHERE w = {index} "
        f"LIMIT {FUZZY_BELOW}) few) < {FUZZY_BELOW} AND {THRESHOLD}"
    )
    return f"""
        SELECT p.id, {index} AS w, 1 + word_similarity({w}, {FOLDED_TITLE}) AS s
          FROM wagtailcore_page p
         WHERE {gate} AND {w} <%% {FOLDED_TITLE} AND p.content_type_id = {PLACE_TYPE}
        UNION ALL
        SELECT pp.page_ptr_id, {index}, word_similarity({w}, {FOLDED_TEXT})
          FROM places_placepage pp WHERE {gate} AND {w} <%% {FOLDED_TEXT}
        UNION ALL
        SELECT t.content_object_id, {index}, word_similarity({w}, kig_search_fold(g.name))
          FROM places_placepagetag t JOIN taggit_tag g ON g.id = t.tag_id
         WHERE {gate} AND {w} <%% kig_search_fold(g.name)
        UNION ALL
        SELECT pc.placepage_id, {index}, word_similarity({w}, kig_search_fold(c.name))
          FROM places_placepage_categories pc JOIN places_category c ON c.id = pc.category_id
         WHERE {gate} AND {w} <%% kig_search_fold(c.name)"""


def _postgres_ids(words, scope, limit: int) -> list[int]:
    params: dict = {"limit": limit, "count": len(words)}
    for index, (raw, folded) in enumerate(words):
        params.update({f"w{index}": folded, f"like{index}": _like(folded), f"raw{index}": raw})
    exact = " UNION ALL ".join(_exact_sql(index) for index in range(len(words)))
    fuzzy = " UNION ALL ".join(_fuzzy_sql(index) for index in range(len(words)))
    scope_sql = ""
    if scope is not None:
        inner, inner_params = scope.order_by().values("pk").query.sql_with_params()
        # Named parameters outside, positional inside: inline the scope's as named ones.
        for number, value in enumerate(inner_params):
            params[f"scope{number}"] = value
        inner = inner.replace("%%", "\x00")
        parts = inner.split("%s")
        inner = "".join(
            part + (f"%(scope{number})s" if number < len(parts) - 1 else "")
            for number, part in enumerate(parts)
        ).replace("\x00", "%%")
        scope_sql = f" AND r.id IN ({inner})"
    sql = f"""
        WITH exact AS MATERIALIZED ({exact}),
        hits AS (SELECT id, w, s FROM exact UNION ALL {fuzzy}),
        per_word AS (SELECT id, w, max(s) AS s FROM hits GROUP BY id, w),
        ranked AS (SELECT id, sum(s) AS score FROM per_word GROUP BY id
                   HAVING count(*) = %(count)s)
        SELECT r.id FROM ranked r JOIN wagtailcore_page p ON p.id = r.id AND p.live{scope_sql}
        ORDER BY r.score DESC, p.title, p.id
        LIMIT %(limit)s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _postgres_suggestions(words: list[str]) -> dict[str, str]:
    """The closest known word for each of ``words`` (folded), from place titles,
    municipalities, former uses, tags and categories, through the trigram indexes; a word
    that is known itself is its own closest."""
    sql = f"""
        SELECT q.w, best.word FROM unnest(%(words)s::text[]) AS q(w)
        CROSS JOIN LATERAL (
            SELECT word FROM (
                SELECT regexp_split_to_table(p.title, '[^[:alnum:]äöüÄÖÜß]+') AS word
                  FROM wagtailcore_page p
                 WHERE p.live AND p.content_type_id = {PLACE_TYPE}
                   AND q.w <%% {FOLDED_TITLE}
                UNION
                SELECT unnest(ARRAY[pp.municipality, pp.former_use])
                  FROM places_placepage pp WHERE q.w <%% {FOLDED_TEXT}
                UNION
                SELECT g.name FROM taggit_tag g WHERE q.w <%% kig_search_fold(g.name)
                UNION
                SELECT c.name FROM places_category c WHERE q.w <%% kig_search_fold(c.name)
            ) known
            WHERE length(word) > 1
              AND similarity(kig_search_fold(word), q.w) >= %(minimum)s
            ORDER BY similarity(kig_search_fold(word), q.w) DESC, word
            LIMIT 1
        ) best
        WHERE {THRESHOLD}"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"words": words, "minimum": SUGGEST_SIMILARITY})
        return dict(cursor.fetchall())


# --- SQLite and other databases: the fallback -------------------------------------------


def _place_texts():
    """Per live place: (pk, title, other texts), tags and categories included."""
    tags: dict[int, list[str]] = {}
    for pk, name in PlacePageTag.objects.values_list("content_object_id", "tag__name"):
        tags.setdefault(pk, []).append(name)
    categories: dict[int, list[str]] = {}
    for pk, name in Category.objects.filter(places__isnull=False).values_list("places", "name"):
        categories.setdefault(pk, []).append(name)
    rows = PlacePage.objects.live().values_list(
        "pk", "title", "teaser", "municipality", "former_use"
    )
    for pk, title, teaser, municipality, former_use in rows:
        others = [teaser, municipality, former_use, *tags.get(pk, []), *categories.get(pk, [])]
        yield pk, title, " ".join(others)


def fallback_place_ids(words, scope, limit: int) -> list[int]:
    """Folded substring matches (title first) and Wagtail's fallback search, in Python."""
    backend_hits: dict[str, set[int]] = {}
    for raw, folded in words:
        found = PlacePage.objects.live().only("pk").search(raw, operator="and")
        backend_hits[folded] = {page.pk for page in found[:limit]}
    scores: dict[int, int] = {}
    titles: dict[int, str] = {}
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
            scores[pk] = total
            titles[pk] = title
    if scope is not None and scores:
        allowed = set(scope.filter(pk__in=list(scores)).values_list("pk", flat=True))
        scores = {pk: score for pk, score in scores.items() if pk in allowed}
    ranked = sorted(scores, key=lambda pk: (-scores[pk], titles[pk], pk))
    return ranked[:limit]


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
