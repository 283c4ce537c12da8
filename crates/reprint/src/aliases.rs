//! Aliases and demonyms of one entity: "U.S." = "US" = "United States" =
//! "America" = "American"; "Iraq" = "Iraqi" = "Iraq's" = "Iraqis". A change
//! report that lists "U.S." removed and "United States" added lists noise.
//!
//! The table is small and written by hand: countries often in the news, their
//! common short forms, and their demonyms (adjective and people). Words are
//! folded like tokens ([`crate::tokens::fold`]: case, dots inside
//! abbreviations, possessive "'s"), so "U.S." and "US" are one spelling and
//! "Iraq's" is "Iraq". A phrase is looked up by the xxh3 keys of its folded
//! words, the same keys tokens carry, so a lookup costs no string work.
//!
//! Decisions: "America" and "American(s)" mean the United States (news usage;
//! the Americas are rarely meant). "Britain", "British", "UK", "United
//! Kingdom" and "Briton(s)" are one entity; England, Scotland, Wales and
//! Northern Ireland are their own. Capitals used for governments
//! ("Washington", "Baghdad") are places, not aliases: a rewrite that swaps
//! "Baghdad" for "Iraqi officials" still shows. Ambiguous words are left out
//! ("Georgia", "Korean" alone, "Guinea").

use std::sync::OnceLock;

use xxhash_rust::xxh3::xxh3_64;

use crate::fasthash::FastMap;
use crate::tokens::fold;

/// One entity per line; names separated by commas.
const TABLE: &str = "\
united states, us, usa, united states of america, america, american, americans
united kingdom, uk, britain, great britain, british, briton, britons
england, english
scotland, scottish, scot, scots
wales, welsh
northern ireland, northern irish
ireland, irish, republic of ireland
european union, eu
europe, european, europeans
united nations, un
soviet union, ussr, soviet, soviets
iraq, iraqi, iraqis
iran, iranian, iranians
syria, syrian, syrians
israel, israeli, israelis
palestine, palestinian, palestinians
lebanon, lebanese
jordan, jordanian, jordanians
egypt, egyptian, egyptians
saudi arabia, saudi, saudis
yemen, yemeni, yemenis
turkey, turkiye, turkish, turks
qatar, qatari, qataris
kuwait, kuwaiti, kuwaitis
bahrain, bahraini, bahrainis
oman, omani, omanis
united arab emirates, uae, emirati, emiratis
afghanistan, afghan, afghans
pakistan, pakistani, pakistanis
india, indian, indians
bangladesh, bangladeshi, bangladeshis
sri lanka, sri lankan, sri lankans
nepal, nepalese, nepali
myanmar, burma, burmese
china, chinese, prc
taiwan, taiwanese
japan, japanese
north korea, north korean, north koreans, dprk
south korea, south korean, south koreans
vietnam, vietnamese
thailand, thai, thais
malaysia, malaysian, malaysians
singapore, singaporean, singaporeans
indonesia, indonesian, indonesians
philippines, philippine, filipino, filipinos
australia, australian, australians
new zealand, new zealander, new zealanders
russia, russian, russians, russian federation
ukraine, ukrainian, ukrainians
belarus, belarusian, belarusians
germany, german, germans
france, french
italy, italian, italians
spain, spanish, spaniard, spaniards
portugal, portuguese
netherlands, dutch, holland
belgium, belgian, belgians
switzerland, swiss
austria, austrian, austrians
sweden, swedish, swede, swedes
norway, norwegian, norwegians
denmark, danish, dane, danes
finland, finnish, finn, finns
poland, polish, pole, poles
czech republic, czechia, czech, czechs
slovakia, slovak, slovaks
hungary, hungarian, hungarians
romania, romanian, romanians
bulgaria, bulgarian, bulgarians
greece, greek, greeks
serbia, serbian, serbians, serb, serbs
croatia, croatian, croatians, croat, croats
armenia, armenian, armenians
azerbaijan, azerbaijani, azerbaijanis, azeri, azeris
kazakhstan, kazakh, kazakhs
canada, canadian, canadians
mexico, mexican, mexicans
cuba, cuban, cubans
brazil, brazilian, brazilians
argentina, argentine, argentines, argentinian, argentinians
chile, chilean, chileans
colombia, colombian, colombians
venezuela, venezuelan, venezuelans
peru, peruvian, peruvians
south africa, south african, south africans
nigeria, nigerian, nigerians
kenya, kenyan, kenyans
ethiopia, ethiopian, ethiopians
sudan, sudanese
south sudan, south sudanese
libya, libyan, libyans
tunisia, tunisian, tunisians
algeria, algerian, algerians
morocco, moroccan, moroccans
";

/// The longest alias, in words ("united states of america").
pub(crate) const MAX_WORDS: usize = 4;

/// Key of a phrase from the keys of its folded words (order matters).
pub(crate) fn phrase_key(words: impl IntoIterator<Item = u64>) -> u64 {
    words
        .into_iter()
        .fold(0u64, |key, w| key.rotate_left(23) ^ w)
}

fn table() -> &'static FastMap<u64, u16> {
    static MAP: OnceLock<FastMap<u64, u16>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FastMap::default();
        for (id, line) in TABLE.lines().enumerate() {
            for name in line.split(',') {
                let key = phrase_key(name.split_whitespace().map(|w| xxh3_64(fold(w).as_bytes())));
                map.insert(key, id as u16);
            }
        }
        map
    })
}

/// Whether a word (the key of its folded form) is part of any alias in the table: "united"
/// of "United States", "iraqi". Such words name a country in one of several spellings, so
/// one text holding one and the other text another is no evidence of two subjects.
pub(crate) fn in_table(word: u64) -> bool {
    static WORDS: OnceLock<crate::fasthash::FastSet<u64>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            TABLE
                .split([',', '\n'])
                .flat_map(|name| name.split_whitespace())
                .map(|w| xxh3_64(fold(w).as_bytes()))
                .collect()
        })
        .contains(&word)
}

/// The entity a phrase (the keys of its folded words) names, if it is in the table.
pub(crate) fn entity(words: &[u64]) -> Option<u16> {
    if words.is_empty() || words.len() > MAX_WORDS {
        return None;
    }
    table().get(&phrase_key(words.iter().copied())).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(phrase: &str) -> Option<u16> {
        let words: Vec<u64> = phrase
            .split_whitespace()
            .map(|w| xxh3_64(fold(w).as_bytes()))
            .collect();
        entity(&words)
    }

    #[test]
    fn spellings_of_one_country_share_an_entity() {
        let us = id("United States");
        assert!(us.is_some());
        for alias in [
            "U.S.",
            "US",
            "USA",
            "America",
            "Americans",
            "United States of America",
        ] {
            assert_eq!(id(alias), us, "{alias}");
        }
        let iraq = id("Iraq");
        assert!(iraq.is_some());
        for alias in ["Iraqi", "Iraq's", "Iraqis", "IRAQ"] {
            assert_eq!(id(alias), iraq, "{alias}");
        }
        assert_eq!(id("British"), id("UK"));
        assert_eq!(id("Britain"), id("United Kingdom"));
    }

    #[test]
    fn different_entities_and_unknown_words_stay_apart() {
        assert_ne!(id("Iraq"), id("Iran"));
        assert_ne!(id("England"), id("Britain"));
        assert_ne!(id("North Korea"), id("South Korea"));
        assert_eq!(id("Baghdad"), None);
        assert_eq!(id("Washington"), None);
        assert_eq!(id("States"), None);
        assert_eq!(id(""), None);
    }

    #[test]
    fn every_table_line_is_one_entity_with_distinct_names() {
        // A name listed under two entities would silently belong to the last one.
        let mut seen = std::collections::HashMap::new();
        for (n, line) in TABLE.lines().enumerate() {
            for name in line.split(',') {
                let name = name.trim();
                assert!(!name.is_empty(), "empty name on line {n}");
                assert!(name.split_whitespace().count() <= MAX_WORDS, "{name}");
                if let Some(prev) = seen.insert(fold(name).into_owned(), n) {
                    panic!("{name} is on lines {prev} and {n}");
                }
            }
        }
    }
}
