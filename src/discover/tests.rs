use super::document::is_variant;
use super::words::*;
use super::*;

fn find_with(text: &str, taken: &[(u32, u32)]) -> Vec<(String, DiscoveredKind, Rule)> {
    let d = Discoverer::new();
    let seg = Segmentation::of(text);
    let mut out = Vec::new();
    d.find(text, &seg, taken, &mut DiscoverScratch::default(), &mut out);
    for m in &out {
        let surface = &text[m.start as usize..m.end as usize];
        let surface = surface.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(surface == m.name || is_variant(&surface, &m.name), "{surface} named {}", m.name);
    }
    out.into_iter().map(|m| (m.name, m.kind, m.rule)).collect()
}

fn names(text: &str) -> Vec<String> {
    find_with(text, &[]).into_iter().map(|m| m.0).collect()
}

/// Each text gives the names with it.
fn assert_names(cases: &[(&str, &[&str])]) {
    for (text, expected) in cases {
        assert_eq!(names(text), *expected, "{text}");
    }
}

/// The cases of one rule: each text gives its names, and none gives a
/// name with `without` (the options with the rule off).
fn assert_rule(without: DiscoverOptions, cases: &[(&str, &[&str])]) {
    assert_names(cases);
    let d = Discoverer::with_options(without);
    for (text, _) in cases {
        let mut out = Vec::new();
        d.find(text, &Segmentation::of(text), &[], &mut DiscoverScratch::default(), &mut out);
        assert!(out.is_empty(), "{text}: {out:?}");
    }
}

use DiscoveredKind::*;
use Rule::*;

#[test]
fn sentences_passed_over_hold_no_name() {
    // The first-byte look decides which sentences are read; a sentence it
    // passes over must give nothing when read in full.
    let d = Discoverer::new();
    let passed_over = |text: &str, taken: &[(u32, u32)]| -> Vec<(String, bool)> {
        let seg = Segmentation::of(text);
        let mut read = Vec::new();
        let (mut groups, mut words, mut cache) = (Vec::new(), Vec::new(), FlagCache::default());
        for tokens in seg.sentence_tokens() {
            let first = &text[tokens[0].0 as usize..tokens[0].1 as usize];
            let worth = d.worth_reading(text, tokens, taken, &mut cache);
            d.read_words(text, tokens, taken, &mut cache, &mut groups, &mut words);
            let mut out = Vec::new();
            d.sentence(text, &mut words, &mut out);
            assert!(worth || out.is_empty(), "sentence at '{first}' passed over but holds {out:?}");
            read.push((first.to_string(), worth));
        }
        read
    };
    let text = "It was raining all day. The talks ended. But Xi Jinping said no. \
                Then the envoy d'Ettorre left. Then envoy Marco d'Ettorre left. \
                Then the al-Bashir camp spoke. Then Omar al-Bashir spoke. The Émile Zola prize went on. \
                Then the Smith-Jones case closed. The U.S. team won. Mr. Kirby spoke. \
                \"When Jane Doe came\" we left. Nothing here at all. \
                Then Friday was calm in the Helmand valley. Then the Bank of the West spoke. \
                Then Kirby, U.S. Smith met. Then Paris, Texas was hot. Then Johnson & Johnson spoke. \
                Then Obama's Kenya trip ended. Then Mastrogiacomo in Helmand spoke. \
                Then President-elect Obama spoke. Then Mr. de Villepin spoke.";
    let at = |w: &str| text.find(w).unwrap() as u32;
    let taken = [(at("U.S. team"), at("U.S. team") + 4), (at("U.S. Smith"), at("U.S. Smith") + 4)];
    let expected = [
        ("It", false),
        ("The", false),
        ("But", true),
        // One capitalized word: no rule names anything with fewer than two.
        ("Then", false),
        ("Then", true),
        ("Then", false),
        ("Then", true),
        ("The", true),
        // "Smith-Jones": two capitalized tokens in one word are read.
        ("Then", true),
        ("The", false),
        ("Mr", true),
        ("When", true),
        ("Nothing", false),
        // Two capitalized words further apart than a run reaches, and two
        // with two connectors between them: a run takes one ("Bank of the
        // West" ends at "Bank").
        ("Then", false),
        ("Then", false),
        // Near each other, but across a comma and a tagged word, across a
        // comma, or after a possessive: no run joins them.
        ("Then", false),
        ("Then", false),
        // "&" joins them.
        ("Then", true),
        ("Then", false),
        // A lower-case word that joins no name ends any run between them;
        // a hyphen joins "President-elect" into one word; "de" joins names.
        ("Then", false),
        ("Then", true),
        ("Then", true),
    ];
    let expected: Vec<(String, bool)> = expected.iter().map(|&(w, r)| (w.to_string(), r)).collect();
    assert_eq!(passed_over(text, &taken), expected);
    // The shipped sample corpus: real news text, every sentence checked.
    let mut skipped = 0;
    for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            skipped += passed_over(&text, &[]).iter().filter(|s| !s.1).count();
        }
    }
    assert!(skipped > 100, "the sample corpus should have sentences passed over ({skipped})");
}

/// Every sentence of `text` read by `read_words` and read word by word
/// (no placeholder), as the rules see them: (sentence start, lazily read
/// words, names found lazily, names found from every word).
fn lazy_and_full(
    d: &Discoverer,
    text: &str,
    taken: &[(u32, u32)],
) -> Vec<(u32, usize, Vec<Discovered>, Vec<Discovered>)> {
    let seg = Segmentation::of(text);
    let mut out = Vec::new();
    let (mut groups, mut words, mut cache) = (Vec::new(), Vec::new(), FlagCache::default());
    for tokens in seg.sentence_tokens() {
        let from = taken.partition_point(|s| s.1 <= tokens[0].0);
        let (mut lazy, mut full) = (Vec::new(), Vec::new());
        d.read_words(text, tokens, &taken[from..], &mut cache, &mut groups, &mut words);
        let read = words.len();
        d.sentence(text, &mut words, &mut lazy);
        word_groups(text, tokens, &taken[from..], &mut groups);
        words.clear();
        let mut taken_at = 0;
        for g in &groups {
            let is_taken = g.is_taken(text, &taken[from..], &mut taken_at);
            d.push_word(text, tokens, g, is_taken, &mut FlagCache::default(), &mut words);
        }
        let all = words.len();
        d.sentence(text, &mut words, &mut full);
        out.push((tokens[0].0, all - read, lazy, full));
    }
    out
}

#[test]
fn placeholders_change_no_name() {
    // Sentences where the words next to a name matter: role nouns,
    // connectors, particles, a headline of short words, a name at either
    // end, tagged words (taken) among them.
    let d = Discoverer::new();
    let text = "The long and winding road was quiet when writer Aner Shalev said it was over. \
                In the end the old Bank of the West and the Ministry of Culture of the region agreed. \
                We saw that a man of the people, Ludwig van Beethoven, was not there at all today. \
                The On Its Way In To It. \
                Nothing at all happened here until yesterday evening, when Mr. Kirby came. \
                Jane Doe left early because the weather in the valley was bad for everyone. \
                It was said by curator Kristin Wilkins of the Foo Museum that France would pay. \
                Quite a long sentence about nothing, then France, then more words, then Gen. Milley. \
                France Germany Italy Spain Japan Chile Peru in a row by Dr Smith.";
    // The last sentence is a headline (short lower-case words only): no
    // placeholder may hide that.
    let taken: Vec<(u32, u32)> = ["France", "Germany", "Italy", "Spain", "Japan", "Chile", "Peru"]
        .iter()
        .flat_map(|w| text.match_indices(w).map(|(i, _)| (i as u32, (i + w.len()) as u32)).collect::<Vec<_>>())
        .collect();
    let mut taken = taken;
    taken.sort_unstable();
    let sentences = lazy_and_full(&d, text, &taken);
    let mut placeholders = 0;
    for (start, collapsed, lazy, full) in &sentences {
        assert_eq!(lazy, full, "sentence at byte {start}");
        placeholders += collapsed;
    }
    assert!(placeholders > 10, "the test sentences should exercise placeholders ({placeholders})");
    let found: Vec<String> = sentences.iter().flat_map(|s| s.2.iter().map(|d| d.name.clone())).collect();
    for name in ["Aner Shalev", "Ludwig van Beethoven", "Kirby", "Jane Doe", "Kristin Wilkins", "Milley"] {
        assert!(found.iter().any(|f| f == name), "{name} not found in {found:?}");
    }
    // The shipped sample corpus: real news text.
    let mut files = 0;
    for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (start, _, lazy, full) in lazy_and_full(&d, &text, &[]) {
            assert_eq!(lazy, full, "{} at byte {start}", entry.path().display());
        }
        files += 1;
    }
    assert!(files >= 40);
}

#[test]
fn lower_case_words_are_looked_up_among_tagged_spans_when_read() {
    // Tagged spans that begin on or hold lower-case words ("the
    // Netherlands", "Bank of England"); the words read in text order,
    // every one, every other, every third (`read_words` skips some): each
    // answer is the one looked up afresh.
    let text = "Queen Beatrix of the Netherlands met the Bank of England's head, \
                and the-Hague envoy al-Bashir's aide in the Netherlands' capital.";
    let spans = ["the Netherlands", "Bank of England", "the-Hague", "al-Bashir"];
    let mut taken: Vec<(u32, u32)> = spans
        .iter()
        .flat_map(|w| text.match_indices(w).map(|(i, _)| (i as u32, (i + w.len()) as u32)).collect::<Vec<_>>())
        .collect();
    taken.sort_unstable();
    let seg = Segmentation::of(text);
    let mut groups = Vec::new();
    word_groups(text, &seg.tokens, &taken, &mut groups);
    assert!(groups.iter().any(|g| g.taken.is_none()), "the lower-case words are left for later");
    let fresh = |g: &Group| is_taken(&taken, &mut 0, g.start, strip_possessive(text, g.start, g.end));
    assert!(groups.iter().filter(|g| g.taken.is_none()).any(fresh), "a lower-case word is tagged");
    for step in 1..4 {
        let mut at = 0;
        for g in groups.iter().step_by(step) {
            assert_eq!(g.is_taken(text, &taken, &mut at), fresh(g), "{}", &text[g.start as usize..g.end as usize]);
        }
    }
}

#[test]
fn capital_look_by_integer_is_the_look_by_bytes() {
    // The look as first written, byte by byte.
    let reference = |word: &[u8]| {
        let b = word[0];
        !b.is_ascii()
            || b.is_ascii_uppercase()
            || (b.is_ascii_lowercase() && word.iter().take(5).any(|&c| matches!(c, b'-' | b'\'' | 0xE2)))
    };
    // Joints at every place, near and far from the end of the text (where
    // fewer than eight bytes are left to read), and bytes that differ
    // from a joint by one bit.
    let mut words: Vec<String> = vec!["al-Bashir".into(), "d'Ettorre".into(), "d’Ettorre".into(), "the".into()];
    for joint in ["-", "'", "’", ",", "/", "&"] {
        for at in 0..7 {
            let mut w: String = "abcdefgh".chars().take(at).collect();
            w.push_str(joint);
            w.push_str("Xyz");
            words.push(w.clone());
            words.push(format!("A{w}"));
            words.push(format!("1{w}"));
        }
    }
    for word in &words {
        for tail in ["", " ", " and more text after it"] {
            let text = format!("{word}{tail}");
            let bytes = text.as_bytes();
            for end in 1..=word.len() {
                if text.is_char_boundary(end) {
                    let (fast, slow) = (may_be_capitalized(bytes, 0, end as u32), reference(&bytes[..end]));
                    assert_eq!(fast, slow, "{:?}", &text[..end]);
                }
            }
        }
    }
}

#[test]
fn cached_flags_are_the_flags() {
    // More words than slots, so that slots are shared and overwritten:
    // every answer must still be the word's own.
    let d = Discoverer::new();
    let mut words: Vec<String> = data_lines(GIVEN_NAMES).map(str::to_string).collect();
    words.extend(
        ["The", "President", "Secretary-General", "Jean-Claude", "Jérôme", "Inc", "Ministry", "Xqz"].map(String::from),
    );
    words.extend((0..3000).map(|i| format!("Word{i}")));
    words.push("Averyveryverylongcapitalizedword".into());
    let mut cache = FlagCache::default();
    for round in 0..2 {
        for w in &words {
            assert_eq!(d.cached_flags_of(w, &mut cache), d.flags_of(w), "{w}, round {round}");
        }
    }
    assert_ne!(d.cached_flags_of("Jérôme", &mut cache) & F_GIVEN, 0);
}

#[test]
fn words_after_an_opening_quote_bracket_or_colon_are_capitalized_by_place() {
    // An everyday word there opens no name, as at a sentence's start; after
    // a plain space it is read as part of the run.
    assert_names(&[
        ("The manager said that \"Yesterday Acme Corp. rose\" and left.", &["Acme Corp."]),
        ("The manager said that (Yesterday Acme Corp. rose) and left.", &["Acme Corp."]),
        ("The manager said this: Yesterday Acme Corp. rose and left.", &["Acme Corp."]),
        ("The manager said that “Yesterday Acme Corp. rose” and left.", &["Acme Corp."]),
        ("The manager said that Yesterday Acme Corp. rose and left.", &["Yesterday Acme Corp."]),
    ]);
}

#[test]
fn given_name_and_surname() {
    assert_eq!(find_with("Yesterday Jane Doe said no.", &[]), [("Jane Doe".into(), Person, GivenName)]);
    assert_eq!(names("They met John F. Kennedy in May."), ["John F. Kennedy"]);
    assert_eq!(names("A letter from Vincent van Gogh was sold."), ["Vincent van Gogh"]);
    assert_eq!(names("He met Mohammed bin Salman's envoy."), ["Mohammed bin Salman"]);
    assert_eq!(names("The councillor Raymond Chan-Wong spoke."), ["Raymond Chan-Wong"]);
    assert_eq!(names("Officers found Michael O'Brien there."), ["Michael O'Brien"]);
}

#[test]
fn dotted_initials_before_a_surname() {
    assert_eq!(find_with("Yeah, I see O.J. Simpson there.", &[]), [("O.J. Simpson".into(), Person, GivenName)]);
    assert_eq!(names("Spokesman P.J. Crowley said so."), ["P.J. Crowley"]);
    assert_eq!(names("Later V.V.S. Laxman batted."), ["V.V.S. Laxman"]);
    // Places and eras written as initials; one initial; an organization.
    assert!(names("It stands in Washington, D.C. Wheeler served there.").is_empty());
    assert!(names("They came around 150 B.C. Invasions followed.").is_empty());
    assert!(names("Ask F. Smith about it.").is_empty());
    assert_eq!(
        find_with("It is sold by A.L. Williams & Associates now.", &[]),
        [("A.L. Williams & Associates".into(), Organization, OrgSuffix)]
    );
}

#[test]
fn titles_before_names() {
    assert_eq!(find_with("He thanked President Obama today.", &[]), [("Obama".into(), Person, Title)]);
    assert_eq!(names("It was Mr. Kirby who spoke."), ["Kirby"]);
    assert_eq!(names("They saw Gen. John Allen there."), ["John Allen"]);
    assert_eq!(names("Then Foreign Minister Sergei Lavrov left."), ["Sergei Lavrov"]);
    assert_eq!(names("Later Secretary-General Antonio Guterres spoke."), ["Antonio Guterres"]);
}

#[test]
fn organizations_by_suffix_and_head() {
    assert_eq!(find_with("Shares of Acme Corp. rose.", &[]), [("Acme Corp.".into(), Organization, OrgSuffix)]);
    assert_eq!(names("He joined the Civic Party in 2010."), ["Civic Party"]);
    assert_eq!(
        find_with("The Ministry of Culture said so.", &[]),
        [("Ministry of Culture".into(), Organization, OrgHead)]
    );
    assert_eq!(names("She teaches at George Washington University now."), ["George Washington University"]);
    assert_eq!(
        names("The Department of Health and Human Services agreed."),
        ["Department of Health and Human Services"]
    );
    assert_eq!(
        names("We called the University of Chicago Professor John Smith."),
        ["University of Chicago", "John Smith"]
    );
    // A suffix with a person's given name after it ends the organization.
    assert_eq!(
        names("He teaches at Washington State University Simon Licen said."),
        ["Washington State University", "Simon Licen"]
    );
    // After a role noun too ("militant" is one): an organization, not a person.
    assert_eq!(
        find_with("Militants of the militant al-Aqsa Martyrs Brigades fired.", &[]),
        [("al-Aqsa Martyrs Brigades".into(), Organization, OrgSuffix)]
    );
    // A suffix before "and" ends the organization, and the rest is read again.
    let cases: &[(&str, &[&str])] = &[
        ("The Civic Party and Acme Corp. said it was fine.", &["Civic Party", "Acme Corp."]),
        (
            "It named Claudia Mo of the Civic Party and Wong Pik-wan today.",
            &["Claudia Mo", "Civic Party", "Wong Pik-wan"],
        ),
        ("Groups such as the World Hindu Council and Shiv Sena marched.", &["World Hindu Council"]),
        ("Shares of Procter and Gamble Co. rose.", &["Procter and Gamble Co."]),
    ];
    assert_names(cases);
    // Museums, galleries and weeklies (session 12).
    let cases: &[(&str, &[&str])] = &[
        ("For example, the Weatherspoon Art Museum drew crowds.", &["Weatherspoon Art Museum"]),
        ("The show moved to the Saatchi Gallery in May.", &["Saatchi Gallery"]),
        ("Whitmore told LA Weekly that he was innocent.", &["LA Weekly"]),
        // One capitalized word and the suffix alone are no organization.
        ("The Museum opened at noon.", &[]),
    ];
    assert_names(cases);
}

#[test]
fn particles_initials_and_affiliations() {
    assert_eq!(names("He met President Omar al-Bashir there."), ["Omar al-Bashir"]);
    assert_eq!(names("It was founded by writer L. Ron Hubbard long ago."), ["L. Ron Hubbard"]);
    assert_eq!(names("He scored like Martin St. Louis did."), ["Martin St. Louis"]);
    assert_eq!(
        find_with("\"No,\" said Jonathan S. Gelles of Wertheim Schroder & Co. today.", &[]),
        [("Jonathan S. Gelles".into(), Person, GivenName), ("Wertheim Schroder & Co.".into(), Organization, OrgSuffix)]
    );
    assert_eq!(names("He spoke at the University of Virginia Friday."), ["University of Virginia"]);
    assert_eq!(names("Officials said the Justice Minister would come."), Vec::<String>::new());
}

#[test]
fn refusals() {
    // Places, months, everyday words, lone words, headlines.
    assert!(names("We walked to Hyde Park and Hope Street.").is_empty());
    assert!(names("It rained in Los Angeles on Monday.").is_empty());
    assert!(names("Police said the Party would meet.").is_empty());
    assert!(names("Obama Wins Election As Democrats Cheer").is_empty());
    assert!(names("In March John left.").is_empty());
}

#[test]
fn names_in_headlines() {
    // A headline is read for listed given names only; a name ends at the
    // first everyday word, and a given name after a surname starts the
    // next person. No listed given name, an everyday given name or a
    // given name alone: nothing. A title is no part of the name.
    let cases: &[(&str, &[&str])] = &[
        ("Jennifer Lopez Files For Divorce In Los Angeles", &["Jennifer Lopez"]),
        ("Melinda Smith Explains New Rules To Voters", &["Melinda Smith"]),
        ("Miguel Angel Mejia Wins Top Award", &["Miguel Angel Mejia"]),
        ("Irina Slutskaya Tatiana Totmianina Win Gold Medals", &["Irina Slutskaya", "Tatiana Totmianina"]),
        ("Editorial Manager Chet Clem And President Sean Mills", &["Chet Clem", "Sean Mills"]),
        ("Lance Corporal Darren Larkin Returns Home", &["Darren Larkin"]),
        ("Obama Wins Election As Democrats Cheer", &[]),
        ("Grace Notes Launch New Album In Town", &[]),
        ("Austin Police Chief Resigns After Report", &[]),
    ];
    assert_rule(DiscoverOptions { headline_names: false, ..DiscoverOptions::default() }, cases);
}

#[test]
fn everyday_surnames_need_a_cue() {
    // A listed given name and an everyday word: a name after a title or
    // role noun or before an apposition, in running text only.
    let cases: &[(&str, &[&str])] = &[
        ("It was said by director Kathryn Waters today.", &["Kathryn Waters"]),
        ("Kathryn Waters, director of the gallery, spoke to them.", &["Kathryn Waters"]),
        ("Kathryn Waters, a curator at the museum, spoke to them.", &["Kathryn Waters"]),
        ("The committee heard President Sean Waters today.", &["Sean Waters"]),
        ("Later that week Kathryn Waters said more about it.", &[]),
        ("Mr. Clinton Make", &[]),
    ];
    assert_rule(DiscoverOptions { cued_everyday_surname: false, ..DiscoverOptions::default() }, cases);
}

#[test]
fn role_nouns_before_names() {
    assert_eq!(find_with("He met writer Aner Shalev today.", &[]), [("Aner Shalev".into(), Person, Title)]);
    assert_eq!(names("Ask curator Kiara Perkins about it."), ["Kiara Perkins"]);
    // Military roles: unlisted given names ("Ratko").
    assert_eq!(names("It charged former army commander Ratko Mladic with genocide."), ["Ratko Mladic"]);
    assert_eq!(names("Taleban militant Mullah Dadullah died."), ["Mullah Dadullah"]);
    // One word, an everyday word or a place noun after the role: no name.
    assert!(names("We asked writer Shalev about it.").is_empty());
    assert!(names("She became player Union Square.").is_empty());
}

#[test]
fn appositions_after_names() {
    let valeska = "Valeska Paris, an Australian woman, said so. Paris left.";
    assert_eq!(find_with(valeska, &[]), [("Valeska Paris".into(), Person, Title)]);
    assert_eq!(names("Police arrested Ramzan Mengal, a man they described as a leader."), ["Ramzan Mengal"]);
    assert_eq!(
        names("It named Haroon Rashid Aswat, a British citizen of South Asian descent."),
        ["Haroon Rashid Aswat"]
    );
    assert_eq!(names("They attacked Dusan Miljus, a reporter for the daily."), ["Dusan Miljus"]);
    assert_eq!(names("It praised Umaru Yar'Adua, a little-known governor from Katsina."), ["Umaru Yar'Adua"]);
    // No person noun within three words, no article, a place noun, one word, four words: no name.
    assert!(names("She left Port Said, a city on the canal.").is_empty());
    assert!(names("Valeska Paris, an Australian city council official, said so.").is_empty());
    assert!(names("Valeska Paris, the woman, said so.").is_empty());
    assert!(names("Meckfessel, a friend, said so.").is_empty());
    assert!(names("Rio Grande Valley Sector, a student said.").is_empty());
}

#[test]
fn everyday_given_names_mid_sentence_only() {
    assert_eq!(names("A blog by Mark Rathbun appeared."), ["Mark Rathbun"]);
    assert_eq!(names("Photo: NASA's Bill Ingalls took it."), ["Bill Ingalls"]);
    assert!(names("Mark Rathbun wrote it.").is_empty(), "sentence-initial: no cue");
    assert!(names("They will Mark Time now.").is_empty(), "an everyday surname");
}

#[test]
fn several_people_in_one_run() {
    assert_eq!(names("Winners were Ann Chiang of DAB and Priscilla Leung of BPA."), ["Ann Chiang", "Priscilla Leung"]);
    assert_eq!(
        names("It is co-owned by Jonathan M. Stan and John-Christian G. Rauschenberg."),
        ["Jonathan M. Stan", "John-Christian G. Rauschenberg"]
    );
}

#[test]
fn cued_names_repeat_and_spelling_variants_merge() {
    // Found by its cue once, then wherever the full name stands alone.
    let text = "He spoke to writer Aner Shalev. Aner Shalev said no. The Aner Shalev Prize.";
    assert_eq!(names(text), ["Aner Shalev", "Aner Shalev"]);
    let text = "Posts by Mark Rathbun. Mark Rathbun wrote.";
    assert_eq!(names(text), ["Mark Rathbun", "Mark Rathbun"]);
    // A vowel for a vowel or a doubled letter in the given name: one person, the first spelling.
    assert_eq!(
        names("We met Kristin Wilkins. Then Kristen Wilkins spoke. Later Phillip Wilkins came."),
        ["Kristin Wilkins", "Kristin Wilkins", "Phillip Wilkins"]
    );
    assert_eq!(
        names("We met Anna Kowalski, then Ana Kowalski and Ana Kowalsky."),
        ["Anna Kowalski", "Ana Kowalski", "Ana Kowalsky"],
        "too short"
    );
    assert_eq!(names("We met Phillip Kowalski, then Philip Kowalski."), ["Phillip Kowalski", "Phillip Kowalski"]);
    assert!(!is_variant("Mark Wilson", "Mary Wilson"), "not a vowel");
    assert!(!is_variant("Jon Smith", "John Smith"), "too short, and no doubled letter");
    assert!(!is_variant("Dana Smith", "Dana Jones"), "different surnames");
    assert!(!is_variant("Kristin Wilkins", "Kristin Wilkins Jr."));
}

/// A list-like document naming many people gets the rules a short one
/// gets: here more people than the lists searched one by one hold.
#[test]
fn many_cued_names_repeat_and_variants_merge() {
    let surnames: Vec<String> =
        (0..40).map(|i| format!("Zorvan{}", char::from(b'a' + (i % 26) as u8)).repeat(1 + i / 26)).collect();
    let mut text = String::new();
    for s in &surnames {
        text += &format!("He spoke to writer Aner {s}. ");
    }
    for s in &surnames {
        text += &format!("Later Aner {s} said no. We met Kristin {s}. Then Kristen {s} spoke. ");
    }
    let found = names(&text);
    for s in &surnames {
        let count = |name: String| found.iter().filter(|n| **n == name).count();
        assert_eq!(count(format!("Aner {s}")), 2, "cue, then the bare name: {s}");
        assert_eq!(count(format!("Kristin {s}")), 2, "the variant takes the first spelling: {s}");
        assert_eq!(count(format!("Kristen {s}")), 0);
    }
    assert_eq!(found.len(), 4 * surnames.len());
}

proptest::proptest! {
    /// A name that `is_single_spaced` lets through as it is reads the same
    /// as its words joined by one space; and plain names are let through.
    #[test]
    fn single_spaced_names_are_their_words_joined(s in "[Ab. \t\n\u{b}\u{c}\u{a0}\u{2003}é]{0,12}") {
        let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if is_single_spaced(&s) {
            proptest::prop_assert_eq!(&s, &joined);
        }
        if s.is_ascii() && s == joined {
            proptest::prop_assert!(is_single_spaced(&s), "{:?}", s);
        }
    }

    /// Renaming variants by name lists is the plain definition: each
    /// person takes the name of the first person before it whose name
    /// is a variant of its own and not the same.
    #[test]
    fn variants_merge_as_defined(picks in proptest::collection::vec((0usize..6, 0usize..3, proptest::bool::ANY), 0..40)) {
        let given = ["Kristin", "Kristen", "Kristan", "Phillip", "Philip", "Anna"];
        let surnames = ["Wilkins", "Wilkins Jr.", "Doe"];
        let mut found: Vec<Discovered> = picks
            .iter()
            .map(|&(g, s, person)| Discovered {
                start: 0,
                end: 0,
                cue_start: 0,
                kind: if person { Person } else { Organization },
                rule: GivenName,
                name: format!("{} {}", given[g], surnames[s]),
            })
            .collect();
        let mut expected = found.clone();
        for i in 1..expected.len() {
            if expected[i].kind != Person {
                continue;
            }
            let earlier = expected[..i].iter().find(|d| {
                d.kind == Person && d.name != expected[i].name && is_variant(&d.name, &expected[i].name)
            });
            if let Some(d) = earlier {
                expected[i].name = d.name.clone();
            }
        }
        Discoverer::new().merge_variants(&mut found);
        let names = |v: &[Discovered]| v.iter().map(|d| d.name.clone()).collect::<Vec<_>>();
        proptest::prop_assert_eq!(names(&found), names(&expected));
    }
}

#[test]
fn taken_spans_are_never_overlapped() {
    let text = "Yesterday Jane Doe said no.";
    assert!(find_with(text, &[(10, 14)]).is_empty(), "Jane is taken: no surname alone");
    assert_eq!(find_with(text, &[(0, 9)]).len(), 1);
}

#[test]
fn ids_are_ascii_slugs() {
    let d = Discoverer::new();
    let discovered_id = |kind, name| d.id(kind, name);
    assert_eq!(discovered_id(Person, "José Núñez"), "new:person:jose-nunez");
    assert_eq!(discovered_id(Organization, "Acme Corp."), "new:organization:acme-corp");
    assert_eq!(discovered_id(Person, "Michael O'Brien"), "new:person:michael-obrien");
    assert_eq!(discovered_id(Person, "Straße Ødegaard"), "new:person:strasse-odegaard");
    assert_eq!(discovered_id(Person, "Ли Вэй"), "new:person:u43bu438-u432u44du439");
}

#[test]
fn next_notable_is_the_first_capital_apostrophe_or_non_ascii_byte() {
    // Every byte value at every place of a chunk, in texts long enough for
    // the eight-byte loads and short enough for the byte-by-byte tail.
    for len in [3, 8, 13, 21] {
        for at in 0..len {
            for b in 0..=255u8 {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b;
                for (from, end) in [(0, len), (1, len), (0, len - 1), (at.min(2), (at + 1).min(len))] {
                    let expected = (from..end).find(|&i| {
                        let c = bytes[i];
                        c >= 0x80 || c.is_ascii_uppercase() || c == b'\''
                    });
                    assert_eq!(next_notable(&bytes, from, end), expected, "{b:#x} at {at} of {len}, {from}..{end}");
                }
            }
        }
    }
}
