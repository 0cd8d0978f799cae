//! The rules over one sentence: its runs of capitalized words, and the
//! organizations and people read in each (the rules of the module doc).

use super::words::{is_cap, is_headline, word_text, Case, Gap, Word};
use super::{
    is_everyday_initial, Discovered, DiscoveredKind, Discoverer, Rule, F_EVERYDAY, F_EVERYDAY_GIVEN,
    F_EVERYDAY_INITIAL, F_GIVEN, F_HEAD, F_NEVER_IN_NAME, F_NOT_NAME, F_SUFFIX, F_SUFFIX_DOT, F_TIME, F_TITLE_END,
    NAME_ABBREVIATIONS, ORG_CONNECTORS, PARTICLES,
};

impl Discoverer {
    /// Reads the runs of one sentence.
    pub(super) fn sentence(&self, text: &str, words: &mut [Word], out: &mut Vec<Discovered>) {
        if words.is_empty() {
            return;
        }
        if self.options.skip_headlines && is_headline(words) {
            if self.options.headline_names {
                self.headline_names(text, words, out);
            }
            return;
        }
        let mut i = 0;
        while i < words.len() {
            if !is_cap(words[i].case) || words[i].taken || words[i].flags & F_TIME != 0 {
                i += 1;
                continue;
            }
            let end = self.run_end(text, words, i);
            self.run(text, words, i, end, out);
            i = end;
        }
    }

    /// The people of a headline (a sentence in title case): where every word
    /// is capitalized, a run says nothing, so only the surest rule is read. A
    /// listed given name that is no everyday word ("Jennifer", not "Grace" or
    /// "Bill"), then one to three capitalized words that are no everyday
    /// word, place, title or organization word ("Lopez" in "Jennifer Lopez
    /// Files For Divorce"); the name ends at the first word that is one.
    fn headline_names(&self, text: &str, words: &[Word], out: &mut Vec<Discovered>) {
        const NOT_IN_NAME: u16 = F_NEVER_IN_NAME | F_EVERYDAY | F_EVERYDAY_INITIAL | F_EVERYDAY_GIVEN;
        let name_word = |w: &Word| w.case == Case::Capitalized && !w.taken && w.flags & NOT_IN_NAME == 0;
        let mut k = 0;
        while k + 1 < words.len() {
            let w = &words[k];
            if !(name_word(w) && w.flags & F_GIVEN != 0) {
                k += 1;
                continue;
            }
            let mut e = k + 1;
            while e < words.len() && e - k < 4 && words[e - 1].gap_after == Gap::Space && name_word(&words[e]) {
                // A given name after a surname starts the next person
                // ("Irina Slutskaya Tatiana Totmianina"); after given names
                // it is a middle name ("Miguel Angel Mejia").
                if words[e].flags & F_GIVEN != 0 && words[k + 1..e].iter().any(|w| w.flags & F_GIVEN == 0) {
                    break;
                }
                e += 1;
            }
            if e > k + 1 {
                let start = words[k].start;
                out.push(self.discovered(
                    text,
                    start,
                    words[e - 1].end,
                    start,
                    DiscoveredKind::Person,
                    Rule::GivenName,
                ));
            }
            k = e;
        }
    }

    /// End (exclusive) of the run that starts with capitalized word `a`.
    fn run_end(&self, text: &str, words: &[Word], a: usize) -> usize {
        let mut last = a; // last capitalized word of the run
        let mut j = a;
        loop {
            let w = &words[j];
            let joined = match w.gap_after {
                Gap::Space | Gap::Amp => true,
                // "John F. Kennedy", "Mr. Smith", "Lt. Gen. Milley"; an org suffix ("Corp.") ends the run.
                Gap::DotSpace => {
                    let t = word_text(text, w);
                    w.case == Case::Initial || NAME_ABBREVIATIONS.contains(&t) || w.flags & F_TITLE_END != 0
                }
                Gap::Break => false,
            };
            if !joined || j + 1 >= words.len() {
                break;
            }
            let n = &words[j + 1];
            if n.taken || n.flags & F_TIME != 0 {
                break;
            }
            if is_cap(n.case) {
                j += 1;
                last = j;
                continue;
            }
            // A connector stays only between capitalized words, one in a row
            // ("Bank of England"; "Bank of the West" ends at "Bank").
            let s = word_text(text, n);
            if n.case == Case::Lower
                && (PARTICLES.contains(&s) || ORG_CONNECTORS.contains(&s))
                && j + 1 - last < 2
                && w.gap_after != Gap::Amp
            {
                j += 1;
                continue;
            }
            break;
        }
        last + 1
    }

    /// Applies the rules to the run `words[a..b]`.
    fn run(&self, text: &str, words: &[Word], mut a: usize, b: usize, out: &mut Vec<Discovered>) {
        // "writer Aner Shalev": a role noun right before the run.
        let role = self.options.role_noun && a > 0 && {
            let r = &words[a - 1];
            r.case == Case::Lower && r.gap_after == Gap::Space && self.roles.contains(word_text(text, r))
        };
        // A capitalized everyday word opening a sentence or a quote is no name ("The", "Yesterday").
        while a < b && (!is_cap(words[a].case) || (words[a].initial && is_everyday_initial(words[a].flags))) {
            a += 1;
        }
        if a >= b {
            return;
        }
        if let Some((s, e, rule)) = self.organization(text, words, a, b) {
            self.persons(text, words, a, s, role, out);
            let start = words[s].start;
            let mut end = words[e - 1].end;
            // "Acme Corp." keeps its period.
            if words[e - 1].flags & F_SUFFIX_DOT != 0 && text.as_bytes().get(end as usize) == Some(&b'.') {
                end += 1;
            }
            out.push(self.discovered(text, start, end, start, DiscoveredKind::Organization, rule));
            if e < b && word_text(text, &words[e]) == "and" {
                self.run(text, words, e + 1, b, out);
            } else {
                self.persons(text, words, e, b, false, out);
            }
        } else if let Some(e) = self.appositive_name(text, words, a, b) {
            // "Valeska Paris, an Australian woman": the whole run, cued by what follows it.
            let start = words[a].start;
            out.push(self.discovered(text, start, words[e - 1].end, start, DiscoveredKind::Person, Rule::Title));
        } else {
            self.persons(text, words, a, b, role, out);
        }
    }

    /// The end of the run `words[a..b]` when it is a person's name of two or
    /// three capitalized words that an apposition names a person ("Valeska
    /// Paris, an Australian woman"; "Ahmed Mohamed, a 14-year-old boy";
    /// "Seun Kuti, son of"), as [`Self::apposition_after`] reads it. A name
    /// whose first word is a given name or a title is left to those rules.
    fn appositive_name(&self, text: &str, words: &[Word], a: usize, b: usize) -> Option<usize> {
        if !self.options.appositive || !(2..=3).contains(&(b - a)) {
            return None;
        }
        let first = &words[a];
        if first.flags & (F_EVERYDAY_INITIAL | F_GIVEN | F_TITLE_END) != 0
            || words[a..b].iter().any(|w| w.case != Case::Capitalized)
            || self.name_end(text, words, a, b) != b
        {
            return None;
        }
        self.apposition_after(text, words[b - 1].end as usize).then_some(b)
    }

    /// The organization in run `words[a..b]`, as a word range and the rule.
    fn organization(&self, text: &str, words: &[Word], a: usize, b: usize) -> Option<(usize, usize, Rule)> {
        let names = |s: usize, e: usize| words[s..e].iter().filter(|w| is_cap(w.case)).count();
        if self.options.org_head {
            for j in a..b.saturating_sub(2) {
                let next = word_text(text, &words[j + 1]);
                if words[j].flags & (F_HEAD | F_SUFFIX) != 0
                    && matches!(next, "of" | "for" | "on")
                    && is_cap(words[j + 2].case)
                {
                    // The name goes on to the end of the run, or up to a title opening a person's name
                    // ("University of Chicago Professor John Smith").
                    let mut e = j + 3;
                    while e < b && !(is_cap(words[e].case) && words[e].flags & F_TITLE_END != 0) {
                        e += 1;
                    }
                    while !is_cap(words[e - 1].case) {
                        e -= 1;
                    }
                    return Some((a, e, Rule::OrgHead));
                }
            }
        }
        let is_suffix = |j: usize| words[j].flags & F_SUFFIX != 0 && is_cap(words[j].case);
        // A suffix before "and" ends the organization ("Civic Party and Acme
        // Corp.", "Civic Party and Wong Pik-wan": the rest is read again); else
        // the run ends with the suffix, or a person's given name follows it
        // ("Washington State University Simon Licen").
        let before_and = (a + 1..b.saturating_sub(2))
            .find(|&j| is_suffix(j) && word_text(text, &words[j + 1]) == "and" && is_cap(words[j + 2].case));
        let end = if let Some(j) = before_and {
            Some(j + 1)
        } else if is_suffix(b - 1) {
            Some(b)
        } else {
            (a + 1..b.saturating_sub(1))
                .find(|&j| is_suffix(j) && words[j + 1].case == Case::Capitalized && words[j + 1].flags & F_GIVEN != 0)
                .map(|j| j + 1)
        };
        if let (true, Some(e)) = (self.options.org_suffix, end) {
            // "Jonathan S. Gelles of Wertheim Schroder & Co.": an "of" that no organization word opens
            // separates a person (or a place) from the organization.
            let s = (a + 1..e)
                .rev()
                .find(|&j| matches!(word_text(text, &words[j]), "of" | "for" | "at"))
                .map_or(a, |j| j + 1);
            if names(s, e) >= 2 {
                return Some((s, e, Rule::OrgSuffix));
            }
        }
        None
    }

    /// People in `words[a..b]` (a run, or what an organization left of it),
    /// in text order; `role`: a role noun stands right before `words[a]`.
    fn persons(&self, text: &str, words: &[Word], a: usize, b: usize, role: bool, out: &mut Vec<Discovered>) {
        // A given name may start a name at `a`, or anywhere but the last word with `given_after_prefix`.
        let given_until = if self.options.given_after_prefix { b.saturating_sub(1) } else { (a + 1).min(b) };
        let mut k = a;
        while k < b {
            if let Some((start, e, cue, rule)) = self.person_at(text, words, a, k, b, role && k == a, given_until) {
                out.push(self.discovered(
                    text,
                    words[start].start,
                    words[e - 1].end,
                    words[cue].start,
                    DiscoveredKind::Person,
                    rule,
                ));
                k = e;
            } else {
                k += 1;
            }
        }
    }

    /// The person whose name or cue starts at word `k` of the range
    /// `words[a..b]`: (first word of the name, end of the name, first word of
    /// the cue, rule).
    #[allow(clippy::too_many_arguments)]
    fn person_at(
        &self,
        text: &str,
        words: &[Word],
        a: usize,
        k: usize,
        b: usize,
        role: bool,
        given_until: usize,
    ) -> Option<(usize, usize, usize, Rule)> {
        let w = &words[k];
        if self.options.title && k + 1 < b {
            if let Some(title_start) = self.title_ending_at(text, words, a, k) {
                let e = self.cued_name_end(text, words, k + 1, b, true);
                if e > k + 1 && e - (k + 1) <= 4 {
                    return Some((k + 1, e, title_start, Rule::Title));
                }
            }
        }
        if self.options.given_name && k < given_until && w.case == Case::Capitalized {
            let e = if w.flags & F_GIVEN != 0 {
                self.cued_name_end(text, words, k, b, role)
            } else if self.options.everyday_given
                && w.flags & F_EVERYDAY_GIVEN != 0
                && !w.initial
                && words[k + 1].case == Case::Capitalized
                && words[k + 1].flags & (F_EVERYDAY | F_EVERYDAY_INITIAL | F_GIVEN) == 0
            {
                // "Mark Rathbun": the surname is read as for any name; "Mark" itself is an everyday word.
                match self.name_end(text, words, k + 1, b) {
                    e if e > k + 1 => e,
                    _ => k,
                }
            } else {
                k
            };
            if e > k + 1 && e - k <= 5 && words[k + 1..e].iter().any(|w| w.case == Case::Capitalized) {
                // Initials before the given name belong to it ("L. Ron Hubbard").
                let mut first = k;
                while first > a && words[first - 1].case == Case::Initial && words[first - 1].gap_after == Gap::DotSpace
                {
                    first -= 1;
                }
                return Some((first, e, k, Rule::GivenName));
            }
        }
        if self.options.given_name
            && k < given_until
            && w.case == Case::Initial
            && w.end - w.start >= 3
            && w.flags & F_NOT_NAME == 0
            && w.gap_after == Gap::DotSpace
            && k + 1 < b
            && words[k + 1].case == Case::Capitalized
        {
            // Dotted initials for the given names ("O.J. Simpson", "J.K. Rowling").
            let e = self.name_end(text, words, k + 1, b);
            if e > k + 1 && e - k <= 3 {
                return Some((k, e, k, Rule::GivenName));
            }
        }
        if role && w.case == Case::Capitalized && w.flags & (F_EVERYDAY_INITIAL | F_GIVEN) == 0 {
            // "writer Aner Shalev": two or three name words, no given name needed.
            let e = self.name_end(text, words, k, b);
            let names = words[k..e].iter().filter(|w| w.case == Case::Capitalized).count();
            if (2..=3).contains(&names) && e - k <= 3 {
                return Some((k, e, k - 1, Rule::Title));
            }
        }
        None
    }

    /// End of the name that starts at word `s` and must end the range
    /// `words[s..b]` (a name followed by more capitalized words is part of
    /// something else: "George Washington Bridge"); `s` when there is none.
    fn name_end(&self, text: &str, words: &[Word], s: usize, b: usize) -> usize {
        let mut e = s;
        while e < b {
            let w = &words[e];
            let t = word_text(text, w);
            let ok = match w.case {
                Case::Capitalized => w.flags & (F_NEVER_IN_NAME | F_EVERYDAY) == 0,
                Case::Initial => e + 1 < b,
                Case::Lower => PARTICLES.contains(&t) && e > s && e + 1 < b,
                Case::AllCaps | Case::Other => false,
            };
            if !ok {
                break;
            }
            e += 1;
        }
        // A name may be followed by an organization connector ("Bill Gates of Microsoft").
        if e == b || (e > s && words[e].case == Case::Lower && ORG_CONNECTORS.contains(&word_text(text, &words[e]))) {
            while e > s && words[e - 1].case != Case::Capitalized {
                e -= 1;
            }
            e
        } else {
            s
        }
    }

    /// [`Self::name_end`]; where that finds no name, a listed given name and
    /// an everyday word as surname, as the whole run, when a cue vouches for
    /// a name: `cued` (a title or role noun before it) or an apposition
    /// after it ("President Sean Waters", "Kathryn Waters, director of the
    /// gallery"). Without a cue "Kathryn Waters" is refused like "Grace
    /// Notes"; and only in running text, with a lower-case word of four
    /// letters or more: "Mr. Clinton Make" is a headline too short to be
    /// told by [`is_headline`].
    fn cued_name_end(&self, text: &str, words: &[Word], s: usize, b: usize, cued: bool) -> usize {
        let e = self.name_end(text, words, s, b);
        if e > s || !self.options.cued_everyday_surname || s + 2 != b {
            return e;
        }
        let (given, surname) = (&words[s], &words[s + 1]);
        let given_ok = given.case == Case::Capitalized
            && given.flags & F_GIVEN != 0
            && given.flags & (F_EVERYDAY | F_EVERYDAY_GIVEN | F_NOT_NAME) == 0
            && given.gap_after == Gap::Space;
        let surname_ok = surname.case == Case::Capitalized
            && surname.flags & F_EVERYDAY != 0
            && surname.flags & F_NEVER_IN_NAME == 0;
        let running = || words.iter().any(|w| w.case == Case::Lower && w.end - w.start >= 4);
        if given_ok && surname_ok && (cued || self.apposition_after(text, surname.end as usize)) && running() {
            b
        } else {
            e
        }
    }

    /// Whether an apposition naming a person follows byte `end`: a comma,
    /// "a" or "an", at most three words and a noun of `appositive_nouns`
    /// ("Valeska Paris, an Australian woman"), or a comma and a role noun
    /// ("Kathryn Waters, director of the gallery").
    fn apposition_after(&self, text: &str, end: usize) -> bool {
        let Some(rest) = text[end..].strip_prefix(", ") else { return false };
        let role = rest.split([' ', ',', '.', ';', ':']).next().is_some_and(|w| self.roles.contains(w));
        let Some(rest) = rest.strip_prefix("a ").or_else(|| rest.strip_prefix("an ")) else { return role };
        let mut following = rest.split(' ');
        for _ in 0..4 {
            let Some(word) = following.next() else { return false };
            let noun = word.trim_end_matches([',', '.', ';', ':']);
            if self.appositive_nouns.contains(noun) {
                return true;
            }
            // The words between: lower case, a number, a hyphenated age, a demonym.
            if noun.len() != word.len() || !noun.chars().all(|c| c.is_alphanumeric() || c == '-') {
                return false;
            }
        }
        false
    }

    /// Start of a title that ends with word `k` (and starts at or after `a`).
    fn title_ending_at(&self, text: &str, words: &[Word], a: usize, k: usize) -> Option<usize> {
        if !is_cap(words[k].case) || words[k].flags & F_TITLE_END == 0 {
            return None;
        }
        let mut key = String::new();
        let mut found = None;
        for s in (a.max((k + 1).saturating_sub(self.title_len))..=k).rev() {
            key.clear();
            for (n, w) in words[s..=k].iter().enumerate() {
                if n > 0 {
                    key.push(' ');
                }
                // "Secretary-General" is one word; titles.txt keys split it.
                for (i, part) in word_text(text, w).split('-').enumerate() {
                    if i > 0 {
                        key.push(' ');
                    }
                    key.push_str(part);
                }
            }
            if self.titles.contains(&key) {
                found = Some(s);
            }
        }
        found
    }
}
