"""The relations bible and the premise's frame (``seeds/bible.json``).

A premise has a situation: the lead may be an outsider to a rich family, may have grown up
beside the villain, may have been wronged, may have a father in the story, may serve regulars.
``frame`` reads which, from the brief's devices, genre, job and words. ``premise_bank`` is the
story bank as the season may use it: lines that presume a situation the premise lacks are
gone (a night nurse is never told "Not just anyone walks through this family's door"), the
device's own limits hold (an amnesiac heir has no lawyers until he remembers; amnesia is his
condition, not a secret the lead keeps), and the goals and relations say who the villain and
the elder are to whom, and why (``relations``).

>>> from aiscript.story.brief import read_premise
>>> b = read_premise("A night-shift nurse discovers the billionaire patient she's been caring "
...                  "for faked his coma to catch the relative trying to kill him", "en")
>>> sorted(frame(b, "en"))
['device_secret', 'love_reach']
>>> r = relations(b, {"hero": "Chloe Hart", "love": "Noah Sterling", "villain": "Nora Blake",
...                   "elder": "Chairman Whitmore"}, "en")
>>> r["rel_villain"], r["motive"]
('his cousin, next in line for the money', 'the Sterling shares')
"""

from __future__ import annotations

import copy
import re
from functools import cache, lru_cache
from typing import Any

from aiscript.craft import seed_json
from aiscript.schema import Brief, Language
from aiscript.story import brief as briefs


def seed() -> dict[str, Any]:
    """``seeds/bible.json``, read once."""
    return seed_json("bible.json")


def _devices_of(brief: Brief) -> set[str]:
    return {d for d in (brief.device, *(sp.device for sp in brief.subplots)) if d}


def frame(brief: Brief, lang: Language, *, genre: str | None = None,
          after_reveal: bool = False, text: str | None = None) -> frozenset[str]:
    """The situations the premise has (``seeds/bible.json`` frames), and the device's: whether
    its carrier's side keeps it secret (``device_secret``), whether the love interest has his
    reach (money, lawyers, people: ``love_reach``; not while amnesia holds him)."""
    text = text if text is not None else brief.want
    devs = _devices_of(brief)
    tags = set()
    for tag, spec in seed()["frames"].items():
        if devs & set(spec.get("devices", [])) or genre in spec.get("genres", []) or \
                brief.job_id in spec.get("jobs", []) or \
                spec.get(lang) and re.search(spec[lang], text, re.I):
            tags.add(tag)
    cat = briefs.devices()
    carriers = [(cat[d].get("carrier", {}), h) for d, h in
                ((brief.device, brief.device_holder),
                 *((sp.device, sp.holder) for sp in brief.subplots)) if d in cat]
    if not carriers or any(c.get("hidden", True) for c, _ in carriers[:1]):
        tags.add("device_secret")
    if after_reveal or not any("reach" in c.get("cannot", []) and h == "love"
                               for c, h in carriers):
        tags.add("love_reach")
    return frozenset(tags)


@cache
def _gate(tag: str, lang: Language) -> re.Pattern | None:
    pat = seed()["gates"].get(tag, {}).get(lang)
    return re.compile(pat, re.I) if pat else None


def fits(text: str, tags: frozenset[str], lang: Language) -> bool:
    """Whether a bank line presumes nothing the premise lacks.

    >>> fits("Not just anyone walks through this family's door.", frozenset(), "en")
    False
    >>> fits("Not just anyone walks through this family's door.", frozenset({"kin_lead"}), "en")
    True
    >>> fits("Leave this to me.", frozenset(), "en")
    True
    """
    for tag in seed()["gates"]:
        if tag in tags:
            continue
        g = _gate(tag, lang)
        if g is not None and g.search(text):
            return False
    return True


def _strings(x: Any) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        return [s for v in x.values() for s in _strings(v)]
    if isinstance(x, list):
        return [s for v in x for s in _strings(v)]
    return []


def _rewritten(x: Any, rewrite: dict[str, str], tags: frozenset[str], lang: Language) -> Any:
    """``x`` with each string the premise's frame does not fit said as ``rewrite`` says."""
    if isinstance(x, str):
        return rewrite.get(x, x) if not fits(x, tags, lang) else x
    if isinstance(x, dict):
        return {k: _rewritten(v, rewrite, tags, lang) for k, v in x.items()}
    if isinstance(x, list):
        return [_rewritten(v, rewrite, tags, lang) for v in x]
    return x


def _keep(items: list, tags: frozenset[str], lang: Language) -> list:
    """The items (lines, hooks, scripts) that fit; all of them when none would."""
    kept = [it for it in items if all(fits(s, tags, lang) for s in _strings(it))]
    return kept or items


def _story() -> dict[str, Any]:
    """``seeds/story.json``, the one copy the planner's ``story_bank`` checks."""
    return seed_json("story.json")


@lru_cache(maxsize=32)
def _gated(lang: Language, tags: frozenset[str]) -> dict[str, Any]:
    bank = copy.deepcopy(_story()[lang])
    for roles in bank["lines"].values():
        for role, spec in roles.items():
            spec["text"] = [spoken_tokens(t, lang, role == "hero")
                            for t in spec.get("text", []) if fits(t, tags, lang)]
    for spec in bank["kinds"].values():
        if isinstance(spec.get("memory"), str):  # the lead recalls it: 'at my place'
            spec["memory"] = spoken_tokens(spec["memory"], lang, True)
        if "script" in spec:  # a written scene's tellings are indexed by the plan: kept,
            rewrite = seed().get("rewrite", {}).get(lang, {})  # a line said otherwise
            for k in ("hook", "script", "turn", "after"):
                if k in spec:
                    spec[k] = _rewritten(spec[k], rewrite, tags, lang)
            continue
        for k in ("hook", "turn"):
            if isinstance(spec.get(k), list):
                spec[k] = _keep(spec[k], tags, lang)
                for h in spec[k]:
                    if isinstance(h, dict) and h.get("line"):
                        h["line"] = spoken_tokens(h["line"], lang, h.get("speaker") == "hero")
    for k in ("work", "couple", "case", "eve"):
        if isinstance(bank.get(k), list):
            bank[k] = [s for s in bank[k] if all(fits(t, tags, lang) for t in _strings(s))]
    bank["secrets"] = _keep(bank["secrets"], tags, lang)
    for path, items in seed().get("more", {}).get(lang, {}).items():
        _, f, role = path.split("/")
        spec = bank["lines"].setdefault(f, {}).setdefault(role, {"text": []})
        spec["text"] = [*spec.get("text", []), *(spoken_tokens(t, lang, role == "hero")
                                                 for t in items if fits(t, tags, lang))]
    for tag, adds in seed().get("instead", {}).items():
        if tag in tags or tag.startswith("_"):
            continue
        for path, items in adds.get(lang, {}).items():
            node = bank
            *head, last = path.split("/")
            for k in head:
                node = node.setdefault(k, {})
            if isinstance(node.get(last), dict):  # a line bank: {"text": [...]}
                node[last]["text"] = [*items, *node[last]["text"]]
                continue
            gated = [it for it in node.get(last, []) if not all(
                fits(s, tags, lang) for s in _strings(it))]
            node[last] = [*[it for it in node.get(last, []) if it not in gated], *items] \
                or node.get(last, [])
    return bank


@lru_cache(maxsize=32)
def _pressure(device: str | None, holder: str, lang: Language,
              tags: frozenset[str], after_reveal: bool = False) -> tuple[list, ...]:
    """The carrier's scenes (``briefs.pressure``) the premise's frame fits, with ``holder``
    said as the slot that carries the device; worked out once a season, and once more for the
    episodes after its reveal."""
    return tuple([[holder if st[0] == "holder" else st[0], *st[1:]] for st in script]
                 for script in briefs.pressure(device, holder, lang, after_reveal)
                 if all(fits(t, tags, lang) for t in _strings(script)))


@lru_cache(maxsize=32)
def _steps(job_id: str | None, lang: Language, tags: frozenset[str]) -> tuple[list, ...]:
    """The lead's job at work (``seeds/brief.json`` steps) the premise's frame fits, each
    script's first step marked with the job's place its action names (``@place``), so the
    scene is set where it happens."""
    job = briefs.job(job_id)
    if job is None:
        return ()
    places = sorted(job["places"][lang], key=len, reverse=True)  # 工地食堂 before 工地
    out = []
    for script in job.get("steps", {}).get(lang, []):
        if not all(fits(t, tags, lang) for t in _strings(script)):
            continue
        action = script[0][1]
        at = next((p for p in places if re.sub(r"^(?:the|an?) ", "", p) in action), None)
        out.append([[*script[0][:3], f"@{at}" if at else "@step"], *script[1:]])
    return tuple(out)


def premise_bank(lang: Language, brief: Brief | None, names: dict[str, str] | None = None,
                 *, genre: str | None = None, after_reveal: bool = False,
                 text: str | None = None) -> dict[str, Any]:
    """The story bank as this premise may use it: lines gated by its frame, goals and
    relations from its relations bible (who the villain and the elder are to whom, and why)."""
    if brief is None:
        return _story()[lang]
    tags = frame(brief, lang, genre=genre, after_reveal=after_reveal, text=text)
    bank = _gated(lang, tags)
    pressure = _pressure(brief.device, brief.device_holder, lang, tags, after_reveal)
    if pressure:
        bank = {**bank, "pressure": list(pressure)}
    steps = _steps(brief.job_id, lang, tags)
    if steps:  # the lead's job as steps of its own through the season
        bank = {**bank, "steps": list(steps)}
    if names is None:
        return bank
    rel = relations(brief, names, lang, text=text)
    bank = dict(bank)
    goals = dict(bank["goals"])
    g = seed()["goals"]
    if "wronged" not in tags and brief.want:
        goals["hero"] = g["unwronged"][lang].replace("{want}", brief.want)
    if rel["to_villain"] == "love":
        goals["villain"] = _fill(g["villain_money"][lang], rel)
        goals["elder"] = _fill(g["elder_heir"][lang], rel)
    bank["goals"] = goals
    rels = {k: dict(v) for k, v in bank["relations"].items()}
    rels.setdefault("villain", {})[rel["to_villain"]] = rel["rel_villain"]
    rels.setdefault("elder", {})[rel["to_elder"]] = rel["rel_elder"]
    if rel["to_villain"] == "love":
        rels["villain"]["love"] = rel["rel_villain"]
        rels.setdefault("love", {})["villain"] = {
            "zh": f"{rel['vkin']}，想要他命的人", "en": f"his {rel['vkin']}, who wants him dead"}[lang]
    if "kin_lead" not in tags:
        rels.setdefault("hero", {})["elder"] = {
            "zh": f"{{love}}的{rel['ekin']}，起初不信她", "en": f"{{love}}'s {rel['ekin']}, who doesn't trust her at first"}[lang]
        rels.setdefault("elder", {})["hero"] = {
            "zh": "信不过她，后来站到她这边", "en": "distrusts her, then comes round"}[lang]
    if rel["to_elder"] == "hero":  # the elder's kin is one side: the lovers are not kin
        rels["elder"]["love"] = {"zh": "看着长大的世交晚辈，不是一家人",
                                 "en": "an old family friend's son she watched grow up"}[lang]
        rels.setdefault("love", {})["elder"] = {
            "zh": "世交家的长辈，从小认得他", "en": "an old friend of his family's"}[lang]
    bank["relations"] = rels
    return bank


def _fill(text: str, rel: dict[str, str]) -> str:
    for k, v in rel.items():
        text = text.replace("{" + k + "}", v)
    return text


def _gender(brief: Brief, slot: str, default: str) -> str:
    role = next((r for r in brief.roles if r.slot == slot), None)
    return role.gender if role is not None and role.gender != "unknown" else default


def _family(name: str, lang: Language) -> str:
    if lang == "zh":
        return name[:1]
    parts = name.split()
    return parts[-1] if parts else name


def relations(brief: Brief, names: dict[str, str], lang: Language,
              text: str | None = None) -> dict[str, str]:
    """Who the villain and the elder are to whom, and why: the first rule of the bible that
    fits the brief. Slots for lines: ``rel_villain``, ``rel_elder`` (whole phrases), ``vkin``,
    ``ekin`` (kin words), ``motive``, ``family``; ``vintro`` (the villain as episode 1
    introduces her), ``ckin`` and ``vcalls`` (``_young_kin``)."""
    from aiscript.story.cast import elder_gender

    text = " ".join([brief.lead.label, brief.job, brief.want, *(r.label for r in brief.roles)])
    devs = _devices_of(brief)
    lead = brief.lead.gender if brief.lead.gender != "unknown" else "female"
    # the bank is written for a heroine and mirrored for a hero (Slots.fill): the villain's
    # words are chosen as the heroine's story would have them
    vg = _gender(brief, "villain", "male" if lead == "male" else "female")
    if lead == "male":
        vg = "female" if vg == "male" else "male"
    eg = elder_gender(names.get("elder", "")) or _gender(brief, "elder", "female"
                                                           if lang == "zh" else "male")
    eg = eg if eg in ("female", "male") else "female"
    for rule in seed()["relations"]:
        w = rule["when"]
        if w.get("holder") and w["holder"] != brief.device_holder:
            continue
        if (w.get("devices") or w.get(lang)) and not (
                devs & set(w.get("devices", [])) or w.get(lang) and re.search(w[lang], text, re.I)):
            continue
        break
    fam = _family(names.get(rule["family_of"], ""), lang)
    elder_name = names.get("elder", "")
    title = next((t for t in seed().get("elder_titles", {}).get(lang, [])
                  if re.search(t[0], elder_name)), None)
    fill = {"family": fam, "love": names.get("love", ""), "hero": names.get("hero", "")}
    v, e = rule["villain"], rule["elder"]
    out = {"family": fam, "to_villain": v["to"], "to_elder": e["to"],
           "rel_villain": _fill(v[lang][vg], fill), "rel_elder": _fill(e[lang][eg], fill),
           "vkin": _fill(v["kin"][lang][vg], fill), "ekin": _fill(e["kin"][lang][eg], fill),
           "motive": _fill(v["motive"][lang], fill),
           "vintro": _fill(v.get("intro", {}).get(lang, {}).get(vg, ""), fill)}
    if title is not None:  # the name's title says the kin: 林父 is his father, not grandfather
        pron = {"zh": {"love": "他", "hero": "她"}, "en": {"love": "him", "hero": "her"}}[lang][e["to"]]
        old_kin = out["ekin"]
        out["ekin"] = title[1]
        out["rel_elder"] = (title[2].replace("{pron}", pron) if title[2]
                            else out["rel_elder"].replace(old_kin, title[1], 1))
    out.update(_young_kin(out["ekin"], e["to"], v.get("raised_by_elder", False), lang))
    return out


def _young_kin(ekin: str, to: str, raised: bool, lang: Language) -> dict[str, str]:
    """``ckin``: what the one the elder is kin to is to her (her granddaughter, his grandson);
    ``vcalls``: how the villain addresses the elder when she was raised in the elder's family
    (奶奶, Grandma), else nothing."""
    young = seed()["young_kin"]
    kin = young[lang].get(ekin, young["default"][lang])
    return {"ckin": kin[0] if to == "hero" else kin[1], "vcalls": kin[2] if raised else ""}


def spoken_place(place: str, lang: Language, *, hero: str = "", first_person: bool = False,
                 at: bool = True) -> str:
    """A set as people say it aloud: 'up on the roof', 'at my place', not 'at the hospital
    rooftop', 'at the rented flat'.

    >>> spoken_place("the hospital rooftop", "en")
    'up on the roof'
    >>> spoken_place("a rented flat", "en", first_person=True)
    'at my place'
    >>> spoken_place("a rented flat", "en", hero="Chloe")
    "at Chloe's place"
    >>> spoken_place("the hospital ward", "en", at=False)
    'the ward'
    """
    sp = seed()["spoken"]
    who = "hero" if first_person else "other"
    form = "at" if at else "noun"
    known = sp.get(lang, {}).get(place)
    if known:
        return known[form][who].replace("{hero}", hero)
    for pat, said_at, said in sp.get(f"{lang}_rules", []):
        m = re.match(pat, place)
        if m:
            return m.expand(said_at if at else said)
    if lang == "en":
        return ("at " if at else "") + re.sub(r"^(?:an?|the) ", "the ", place)
    return ("在" if at else "") + place


_PLACE_AT = {"en": re.compile(r"\b(?:at|in) \{place\}"), "zh": re.compile(r"在\{place\}")}


def spoken_tokens(text: str, lang: Language, first_person: bool) -> str:
    """A dialogue line of the bank with its ``{place}`` marked to be said aloud; a line that
    presumes a public place (stake it out, someone works there) is marked so it is never
    said of a home (``said_places`` leaves it unfilled, and the line is not used)."""
    there = seed()["spoken"].get("there", {}).get(lang)
    if there:  # 'walking out of there', whatever the place: nobody names the set leaving it
        text = re.sub(there[0], there[1], text)
    venue = seed()["spoken"].get("venue", {}).get(lang)
    if venue and re.search(venue, text):
        text = text.replace("{place}", "{venue}")
    me = "_me" if first_person else ""
    text = text.replace("{place_c}", "{place}")  # said aloud, capitalised where it opens
    text = _PLACE_AT[lang].sub("{at_place" + me + "}", text)
    return text.replace("{place}", "{place_said" + me + "}")


def said_places(text: str, slots: dict, lang: Language) -> str:
    """The spoken forms of the moment's place, for the tokens ``spoken_tokens`` left."""
    place, hero = str(slots.get("place", "")), str(slots.get("hero", ""))
    if lang == "en":
        hero = hero.split(" ")[0]
    if "{venue}" in text and place not in seed()["spoken"].get("homes", {}).get(lang, []):
        text = _PLACE_AT[lang].sub(spoken_place(place, lang).replace("\\", r"\\"),
                                   text.replace("{venue}", "{place}"))
        text = text.replace("{place}", spoken_place(place, lang, at=False))
    known = seed()["spoken"].get(lang, {}).get(place, {}).get("you")
    you = seed()["spoken"].get("you", {}).get(lang)
    if known and you and re.search(you.replace("{", r"\{").replace("}", r"\}"), text):
        # said to the lead of her own home: 'what you said at your place', not 'at Chloe's'
        text = text.replace("{at_place}", known["at"]).replace("{place_said}", known["noun"])
    for token, me, at in (("{at_place_me}", True, True), ("{at_place}", False, True),
                          ("{place_said_me}", True, False), ("{place_said}", False, False)):
        if token in text:
            said = spoken_place(place, lang, hero=hero, first_person=me, at=at)
            opens = said[:1].upper() + said[1:]  # where it opens the line or a sentence
            text = re.sub(r"(^|[.!?]\s+)" + re.escape(token),
                          lambda m, o=opens: m.group(1) + o, text)
            text = text.replace(token, said)
    return text
