"""Tests of the GUM reader, the gold derivation and the scoring (standard library only).

    python3 -m unittest discover eval
"""

import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "scripts"))

import countries  # noqa: E402
import evaluate  # noqa: E402
import gum  # noqa: E402

T = "\t"


def row(*cols):
    return T.join(str(c) for c in cols)


CONLLU = "\n".join([
    "# newdoc id = GUM_news_test",
    "# global.Entity = GRP-etype-infstat-salience-centering-minspan-link-identity",
    "# meta::dateCreated = 2015-08-21",
    "# meta::title = Obama meets the United Nations",
    "# newpar",
    "# newpar_block = head (1 s)",
    "# sent_id = GUM_news_test-1",
    "# text = Obama meets the United Nations",
    row(1, "Obama", "Obama", "PROPN", "NNP", "_", 2, "nsubj", "_", "Entity=(1-person-new-sssss-cf1-1-coref-Barack_Obama)"),
    row(2, "meets", "meet", "VERB", "VBZ", "_", 0, "root", "_", "_"),
    row(3, "the", "the", "DET", "DT", "_", 5, "det", "_", "Entity=(2-organization-new-sssss-cf2-2,3-coref-United_Nations"),
    row(4, "United", "Unite", "VERB", "NNP", "_", 5, "compound", "_", "_"),
    row(5, "Nations", "Nations", "PROPN", "NNPS", "_", 2, "obj", "_", "Entity=2)"),
    "",
    "# newpar",
    "# newpar_block = p (2 s)",
    "# sent_id = GUM_news_test-2",
    "# text = President Barack Obama's visit to North Korea didn't happen.",
    row(1, "President", "President", "PROPN", "NNP", "_", 3, "compound", "_",
        "Entity=(1-person-giv-sssss-cf1-3-coref-Barack_Obama"),
    row(2, "Barack", "Barack", "PROPN", "NNP", "_", 3, "flat", "_", "_"),
    row(3, "Obama", "Obama", "PROPN", "NNP", "_", 5, "nmod:poss", "_", "SpaceAfter=No"),
    row(4, "'s", "'s", "PART", "POS", "_", 3, "case", "_", "Entity=1)"),
    row(5, "visit", "visit", "NOUN", "NN", "_", 11, "nsubj", "_", "Entity=(3-event-new-sssss-cf2-1-coref"),
    row(6, "to", "to", "ADP", "IN", "_", 8, "case", "_", "_"),
    row(7, "North", "North", "PROPN", "NNP", "_", 8, "compound", "_",
        "Entity=(4-place-new-sssss-cf3-1,2-coref-North_Korea"),
    row(8, "Korea", "Korea", "PROPN", "NNP", "_", 5, "nmod", "_", "Entity=4)3)"),
    row("9-10", "didn't", "_", "_", "_", "_", "_", "_", "_", "_"),
    row(9, "did", "do", "AUX", "VBD", "_", 11, "aux", "_", "_"),
    row(10, "n't", "not", "PART", "RB", "_", 11, "advmod", "_", "_"),
    row(11, "happen", "happen", "VERB", "VB", "_", 0, "root", "_", "SpaceAfter=No"),
    row(12, ".", ".", "PUNCT", ".", "_", 11, "punct", "_", "_"),
    "",
    "# sent_id = GUM_news_test-3",
    "# text = Israeli troops (IDF) left Bosnia%2DHerzegovina.",
    row(1, "Israeli", "Israeli", "ADJ", "JJ", "_", 2, "amod", "_", "Entity=(5-person-new-sssss-cf1-2-coref"),
    row(2, "troops", "troop", "NOUN", "NNS", "_", 6, "nsubj", "_", "_"),
    row(3, "(", "(", "PUNCT", "-LRB-", "_", 4, "punct", "_", "SpaceAfter=No"),
    row(4, "IDF", "IDF", "PROPN", "NNP", "_", 2, "appos", "_",
        "Entity=(6-organization-new-sssss-cf2-1-sgl-Israel_Defense_Forces)|SpaceAfter=No"),
    row(5, ")", ")", "PUNCT", "-RRB-", "_", 4, "punct", "_", "Entity=5)"),
    row(6, "left", "leave", "VERB", "VBD", "_", 0, "root", "_", "_"),
    row(7, "Bosnia%2DHerzegovina", "B", "PROPN", "NNP", "_", 6, "obj", "_",
        "Entity=(7-place-new-sssss-cf3-1-sgl-Bosnia_and_Herzegovina)|SpaceAfter=No"),
    row(8, ".", ".", "PUNCT", ".", "_", 6, "punct", "_", "_"),
    "",
    "# newdoc id = GUM_interview_test2",
    "# meta::dateCreated = unknown",
    "# meta::title = A talk with Jane Doe",
    "# sent_id = GUM_interview_test2-1",
    "# text = Hello there.",
    row(1, "Hello", "hello", "INTJ", "UH", "_", 0, "root", "_", "_"),
    row(2, "there", "there", "ADV", "RB", "_", 1, "advmod", "_", "SpaceAfter=No"),
    row(3, ".", ".", "PUNCT", ".", "_", 1, "punct", "_", "_"),
    "",
])

TEXT1 = ("Obama meets the United Nations\n\n"
         "President Barack Obama's visit to North Korea didn't happen. "
         "Israeli troops (IDF) left Bosnia%2DHerzegovina.\n")


def test_lexicon():
    lex = countries.CountryLexicon()
    lex.add_name("North Korea", "PRK", "sovereign")
    lex.add_name("Bosnia and Herzegovina", "BIH", "sovereign")
    lex.add_name("Israel", "ISR", "sovereign")
    lex.add_demonym("Israeli", "ISR")
    return lex


class TestGumReader(unittest.TestCase):
    def setUp(self):
        self.docs = gum.parse_string(CONLLU)
        self.doc = self.docs[0]

    def test_documents_and_paths(self):
        self.assertEqual([d.id for d in self.docs], ["GUM_news_test", "GUM_interview_test2"])
        self.assertEqual(self.doc.relpath(), "2015/08/21/GUM_news_test.txt")
        self.assertEqual(self.doc.relpath("flat"), "2015-08-21/GUM_news_test.txt")
        self.assertEqual(self.docs[1].relpath(), "undated/GUM_interview_test2.txt")

    def test_text_spacing_paragraphs(self):
        self.assertEqual(self.doc.text, TEXT1)
        self.assertEqual(len(self.doc.paragraphs), 2)
        self.assertEqual(self.doc.unannotated, [])

    def test_token_offsets(self):
        for t in self.doc.tokens:
            self.assertEqual(self.doc.text[t.start:t.end], t.form, t)
        did = [t for t in self.doc.tokens if t.form == "did"][0]
        nt = [t for t in self.doc.tokens if t.form == "n't"][0]
        self.assertEqual(self.doc.text[did.start:nt.end], "didn't")

    def test_nested_mentions(self):
        got = [(m.eid, m.etype, m.text, m.identity) for m in self.doc.mentions]
        self.assertIn(("1", "person", "Obama", "Barack_Obama"), got)
        self.assertIn(("2", "organization", "the United Nations", "United_Nations"), got)
        self.assertIn(("1", "person", "President Barack Obama's", "Barack_Obama"), got)
        self.assertIn(("3", "event", "visit to North Korea", ""), got)
        self.assertIn(("4", "place", "North Korea", "North_Korea"), got)
        self.assertIn(("5", "person", "Israeli troops (IDF)", ""), got)
        self.assertIn(("6", "organization", "IDF", "Israel_Defense_Forces"), got)
        self.assertIn(("7", "place", "Bosnia%2DHerzegovina", "Bosnia_and_Herzegovina"), got)
        for m in self.doc.mentions:
            self.assertEqual(self.doc.text[m.start:m.end], m.text)

    def test_title_without_heading(self):
        d = self.docs[1]
        self.assertEqual(d.text, "A talk with Jane Doe\n\nHello there.\n")
        self.assertEqual(d.unannotated, [(0, 20)])

    def test_entity_field(self):
        ev = gum.parse_entity_field("(5-time-new-snnnn-cf2-1-sgl)4)(9-place-new-s-cf1-1-coref-Chiang_Kai%2Dshek_Memorial_Hall")
        self.assertEqual(ev[0][0], "open")
        self.assertTrue(ev[0][2])
        self.assertEqual(ev[1], ("close", "4"))
        self.assertEqual(ev[2][1]["identity"], "Chiang_Kai-shek_Memorial_Hall")
        self.assertFalse(ev[2][2])

    def test_name_core(self):
        def core(text):
            m = [m for m in self.doc.mentions if m.text == text][0]
            c = gum.name_core(self.doc, m)
            return None if c is None else (self.doc.text[self.doc.tokens[c[0]].start:self.doc.tokens[c[1] - 1].end], c[2])
        self.assertEqual(core("the United Nations"), ("United Nations", "name"))
        self.assertEqual(core("President Barack Obama's"), ("Barack Obama", "name"))
        self.assertEqual(core("North Korea"), ("North Korea", "name"))
        self.assertIsNone(core("Israeli troops (IDF)"))
        self.assertIsNone(core("visit to North Korea"))

    def test_poem_lines_keep_offsets(self):
        text = "\n".join([
            "# newdoc id = GUM_news_poem",
            "# text = Roses are red violets are blue",
            row(1, "Roses", "rose", "NOUN", "NNS", "_", 2, "nsubj", "_", "_"),
            row(2, "are", "be", "AUX", "VBP", "_", 0, "root", "_", "_"),
            row(3, "red", "red", "ADJ", "JJ", "_", 2, "xcomp", "_", "XML=</l>"),
            row(4, "violets", "violet", "NOUN", "NNS", "_", 5, "nsubj", "_", "XML=<l>"),
            row(5, "are", "be", "AUX", "VBP", "_", 2, "parataxis", "_", "_"),
            row(6, "blue", "blue", "ADJ", "JJ", "_", 5, "xcomp", "_", "_"),
            "",
        ])
        d = gum.parse_string(text)[0]
        self.assertEqual(d.text, "Roses are red\nviolets are blue\n")
        for t in d.tokens:
            self.assertEqual(d.text[t.start:t.end], t.form)


class TestGold(unittest.TestCase):
    def setUp(self):
        self.docs = gum.parse_string(CONLLU)
        self.gold = evaluate.gum_gold(self.docs, test_lexicon())

    def gold_set(self):
        return {(x["cat"], x["text"]) for x in self.gold.gold}

    def test_gold_spans(self):
        self.assertEqual(self.gold_set(), {
            ("person", "Obama"), ("person", "Barack Obama"), ("organization", "United Nations"),
            ("country", "North Korea"), ("organization", "IDF"), ("demonym", "Israeli"),
        })
        ents = {x["text"]: x["entity"] for x in self.gold.gold}
        self.assertEqual(ents["North Korea"], "PRK")
        self.assertEqual(ents["Israeli"], "ISR")
        # linked to a country, but the text is no country name the lexicon knows
        opt = {(o["cat"], o["text"]) for o in self.gold.optional}
        self.assertIn(("country", "Bosnia%2DHerzegovina"), opt)

    def test_gold_offsets_point_into_text(self):
        for x in self.gold.gold:
            self.assertEqual(self.gold.texts[x["doc"]][x["start"]:x["end"]], x["text"])
        self.assertEqual(self.gold.texts["2015/08/21/GUM_news_test.txt"], TEXT1)


def pred(doc, text, surface, typ, via="name", entity="", nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return {"doc": doc, "start": start, "end": start + len(surface), "type": typ, "via": via,
            "entity": entity, "surface": surface}


class TestScoring(unittest.TestCase):
    def setUp(self):
        self.docs = gum.parse_string(CONLLU)
        self.gold = evaluate.gum_gold(self.docs, test_lexicon())
        self.d1 = "2015/08/21/GUM_news_test.txt"
        self.d2 = "undated/GUM_interview_test2.txt"

    def perfect(self):
        out = []
        for x in self.gold.gold:
            typ = "country" if x["cat"] in ("country", "demonym") else x["cat"]
            via = "demonym" if x["cat"] == "demonym" else "name"
            out.append({"doc": x["doc"], "start": x["start"], "end": x["end"], "type": typ, "via": via,
                        "entity": x["entity"], "surface": x["text"]})
        return out

    def test_perfect_predictions_score_one(self):
        res, _ = evaluate.score(self.gold, self.perfect())
        for cat in evaluate.CATEGORIES:
            for mode in ("exact", "relaxed"):
                r = res["categories"][cat][mode]
                self.assertEqual((r["fp"], r["fn"]), (0, 0), (cat, mode))
                self.assertEqual(r["f1"], 1.0, (cat, mode))

    def test_perturbed_predictions(self):
        t = TEXT1
        preds = [
            pred(self.d1, t, "Obama", "person"),                       # exact TP
            pred(self.d1, t, "President Barack Obama", "person"),     # relaxed only
            pred(self.d1, t, "the United Nations", "organization"),   # "the" ignored: exact TP
            pred(self.d1, t, "Korea", "country", entity="KOR"),        # relaxed only, wrong id
            pred(self.d1, t, "Israeli", "country", via="demonym", entity="ISR"),
            pred(self.d1, t, "troops", "organization"),               # false positive
            pred(self.d2, "A talk with Jane Doe\n\nHello there.\n", "Jane Doe", "person"),  # unannotated title
        ]
        res, det = evaluate.score(self.gold, preds)
        c = res["categories"]
        self.assertEqual((c["person"]["exact"]["tp"], c["person"]["exact"]["fp"], c["person"]["exact"]["fn"]),
                         (1, 1, 1))
        self.assertEqual((c["person"]["relaxed"]["tp"], c["person"]["relaxed"]["fp"],
                          c["person"]["relaxed"]["fn"], c["person"]["relaxed"]["ignored"]), (2, 0, 0, 1))
        self.assertEqual((c["organization"]["exact"]["tp"], c["organization"]["exact"]["fp"],
                          c["organization"]["exact"]["fn"]), (1, 1, 1))
        self.assertEqual((c["country"]["exact"]["tp"], c["country"]["relaxed"]["tp"]), (0, 1))
        self.assertEqual(c["country"]["relaxed"]["country_id_agreement"], {"agree": 0, "total": 1})
        self.assertEqual(c["demonym"]["exact"]["tp"], 1)
        self.assertEqual(c["country+demonym"]["relaxed"]["tp"], 2)
        self.assertAlmostEqual(c["organization"]["relaxed"]["precision"], 0.5)
        self.assertEqual([p["surface"] for p in det["organization"]["fp"]], ["troops"])

    def test_nested_gold_excused_when_outer_taken(self):
        g = evaluate.Gold("t")
        g.texts["d"] = "The U.S. Environmental Protection Agency said."
        g.add("d", 4, 40, "organization")
        g.add("d", 4, 8, "country", "USA")
        g.finish()
        inner = [x for x in g.gold if x["cat"] == "country"][0]
        self.assertEqual(inner["outer"]["cat"], "organization")
        org = {"doc": "d", "start": 4, "end": 40, "type": "organization", "via": "name", "entity": "", "surface": ""}
        usa = {"doc": "d", "start": 4, "end": 8, "type": "country", "via": "acronym", "entity": "USA", "surface": ""}
        res, _ = evaluate.score(g, [org])       # the tagger took the organization
        c = res["categories"]["country"]["relaxed"]
        self.assertEqual((c["tp"], c["fn"], c["excused"]), (0, 0, 1))
        res, _ = evaluate.score(g, [usa])       # ... or the country
        c = res["categories"]["country"]["relaxed"]
        self.assertEqual((c["tp"], c["fn"], c["excused"]), (1, 0, 0))
        res, _ = evaluate.score(g, [])
        self.assertEqual(res["categories"]["country"]["relaxed"]["fn"], 1)

    def test_mentions_csv_roundtrip(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "mentions.csv")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("doc_id,start,end,token_start,token_end,sentence,paragraph,entity_id,type,surface,via\n")
                fh.write(f"{self.d1},0,5,0,1,0,0,person:barack-obama,person,Obama,surname\n")
            preds = evaluate.read_mentions(path)
        self.assertEqual(preds[0]["start"], 0)
        self.assertEqual(preds[0]["via"], "surname")
        res, _ = evaluate.score(self.gold, preds)
        self.assertEqual(res["categories"]["person"]["exact"]["tp"], 1)


class TestGmb(unittest.TestCase):
    def test_detokenize(self):
        words = ["He", "said", '"', "Bush", "'s", "plan", '"', "(", "U.S.", ")", "costs", "$", "5", "."]
        text, offs = evaluate.detokenize(words)
        self.assertEqual(text, 'He said "Bush\'s plan" (U.S.) costs $5.')
        for w, (s, e) in zip(words, offs):
            self.assertEqual(text[s:e], w)

    def test_gmb_gold_repairs(self):
        lex = test_lexicon()
        lex.add_name("Sri Lanka", "LKA", "sovereign")
        sents = [[("Mr.", "NNP", "B-per"), ("Kim", "NNP", "B-org"), ("visited", "VBD", "O"),
                  ("Sri", "NNP", "B-per"), ("Lanka", "NNP", "B-gpe"), ("and", "CC", "O"),
                  ("Israeli", "JJ", "B-gpe"), ("President", "NNP", "B-per"), ("Shimon", "NNP", "I-per"),
                  ("Peres", "NNP", "I-per"), ("at", "IN", "O"), ("the", "DT", "O"),
                  ("United", "NNP", "B-org"), ("Nations", "NNP", "I-org"), (".", ".", "O")]]
        g, docs = evaluate.gmb_gold(sents, lex, ndocs=1, block=1)
        self.assertEqual(docs[0]["text"], "Mr. Kim visited Sri Lanka and Israeli President Shimon Peres at the United Nations.")
        got = {(x["cat"], x["text"]) for x in g.gold}
        self.assertEqual(got, {("person", "Kim"), ("country", "Sri Lanka"), ("demonym", "Israeli"),
                               ("person", "Shimon Peres"), ("organization", "United Nations")})


class TestCorpusBuild(unittest.TestCase):
    def test_build_is_deterministic(self):
        import build_sample_corpus
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "conllu")
            os.makedirs(data)
            with open(os.path.join(data, "GUM_news_test.conllu"), "w", encoding="utf-8") as fh:
                fh.write(CONLLU)
            out = os.path.join(tmp, "corpus")
            first = build_sample_corpus.build(data, out)
            with open(os.path.join(out, "2015", "08", "21", "GUM_news_test.txt"), encoding="utf-8") as fh:
                self.assertEqual(fh.read(), TEXT1)
            snapshot = {}
            for root, _, files in os.walk(out):
                for f in files:
                    with open(os.path.join(root, f), "rb") as fh:
                        snapshot[os.path.join(root, f)] = fh.read()
            second = build_sample_corpus.build(data, out)
            self.assertEqual(first, second)
            for path, content in snapshot.items():
                with open(path, "rb") as fh:
                    self.assertEqual(fh.read(), content)
            self.assertTrue(os.path.exists(os.path.join(out, "undated", "GUM_interview_test2.txt")))
            self.assertTrue(os.path.exists(os.path.join(out, "README.md")))
            # a flat rebuild replaces the nested files
            build_sample_corpus.build(data, out, "flat")
            self.assertTrue(os.path.exists(os.path.join(out, "2015-08-21", "GUM_news_test.txt")))
            self.assertFalse(os.path.exists(os.path.join(out, "2015")))


if __name__ == "__main__":
    unittest.main()
