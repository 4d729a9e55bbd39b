//! The rules of a gate file and their strict reading: an unknown rule type, an unknown key, a
//! key of another rule type or a bad value is an error located at its line (serde_yaml_ng
//! places errors raised while a value is read at that value).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// The kinds of rule a gate knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleType {
    /// JUnit results are present (and within their failure limits).
    TestEvidence,
    /// A security scan is present (and within its vulnerability limits).
    SecurityScan,
    /// Every change was reviewed by enough approvers.
    CodeReview,
    /// A compliant attestation with a given name is present.
    Attestation,
}

impl RuleType {
    /// Every rule type, in the order messages list them.
    pub const ALL: [RuleType; 4] = [
        RuleType::TestEvidence,
        RuleType::SecurityScan,
        RuleType::CodeReview,
        RuleType::Attestation,
    ];

    /// The name a gate file spells it with (`test-evidence`).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleType::TestEvidence => "test-evidence",
            RuleType::SecurityScan => "security-scan",
            RuleType::CodeReview => "code-review",
            RuleType::Attestation => "attestation",
        }
    }

    /// The keys a rule of this type may have besides `type` and `required`.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            RuleType::TestEvidence => &["max-failures", "max-errors"],
            RuleType::SecurityScan => &[
                "max-critical-vulnerabilities",
                "max-high-vulnerabilities",
                "max-medium-vulnerabilities",
                "max-low-vulnerabilities",
            ],
            RuleType::CodeReview => &["min-approvals"],
            RuleType::Attestation => &["name"],
        }
    }

    fn from_name(name: &str) -> Option<RuleType> {
        RuleType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    fn names() -> String {
        RuleType::ALL.map(RuleType::as_str).join(", ")
    }
}

impl fmt::Display for RuleType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every count key any rule type has.
const COUNT_KEYS: &[&str] = &[
    "max-failures",
    "max-errors",
    "max-critical-vulnerabilities",
    "max-high-vulnerabilities",
    "max-medium-vulnerabilities",
    "max-low-vulnerabilities",
    "min-approvals",
];

/// One rule of a gate policy, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// What it checks.
    #[serde(rename = "type")]
    pub rule_type: RuleType,
    /// Whether the evidence must be present (default true). A rule that is not required
    /// still checks its limits on the evidence that is there.
    pub required: bool,
    /// `max-failures` (test-evidence).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_failures: Option<u64>,
    /// `max-errors` (test-evidence).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_errors: Option<u64>,
    /// `max-critical-vulnerabilities` (security-scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_critical: Option<u64>,
    /// `max-high-vulnerabilities` (security-scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_high: Option<u64>,
    /// `max-medium-vulnerabilities` (security-scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_medium: Option<u64>,
    /// `max-low-vulnerabilities` (security-scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_low: Option<u64>,
    /// `min-approvals` (code-review; 1 when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_approvals: Option<u64>,
    /// `name` (attestation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Rule {
    fn new(rule_type: RuleType) -> Rule {
        Rule {
            rule_type,
            required: true,
            max_failures: None,
            max_errors: None,
            max_critical: None,
            max_high: None,
            max_medium: None,
            max_low: None,
            min_approvals: None,
            name: None,
        }
    }

    fn set_count(&mut self, key: &str, value: u64) {
        let slot = match key {
            "max-failures" => &mut self.max_failures,
            "max-errors" => &mut self.max_errors,
            "max-critical-vulnerabilities" => &mut self.max_critical,
            "max-high-vulnerabilities" => &mut self.max_high,
            "max-medium-vulnerabilities" => &mut self.max_medium,
            "max-low-vulnerabilities" => &mut self.max_low,
            _ => &mut self.min_approvals,
        };
        *slot = Some(value);
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Rule, D::Error> {
        d.deserialize_map(RuleVisitor)
    }
}

struct RuleVisitor;

impl<'de> Visitor<'de> for RuleVisitor {
    type Value = Rule;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a rule: a map with a `type` ({})", RuleType::names())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Rule, A::Error> {
        let mut rule_type: Option<RuleType> = None;
        let mut required: Option<bool> = None;
        let mut counts: Vec<(&'static str, u64)> = Vec::new();
        let mut name: Option<String> = None;
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return map.next_value_seed(Reject(format!("the key `{key}` appears twice")));
            }
            seen.push(key.clone());
            match key.as_str() {
                "type" => {
                    rule_type = Some(map.next_value_seed(TypeSeed { earlier: &seen })?);
                }
                "required" => required = Some(map.next_value::<bool>()?),
                "name" => {
                    if let Some(t) = rule_type.filter(|t| !t.keys().contains(&"name")) {
                        return map.next_value_seed(Reject(not_for(&key, t)));
                    }
                    name = Some(map.next_value_seed(NameSeed)?);
                }
                k => match COUNT_KEYS.iter().find(|c| **c == k) {
                    Some(count_key) => {
                        if let Some(t) = rule_type.filter(|t| !t.keys().contains(count_key)) {
                            return map.next_value_seed(Reject(not_for(k, t)));
                        }
                        counts.push((count_key, map.next_value_seed(CountSeed(count_key))?));
                    }
                    None => {
                        let expected = match rule_type {
                            Some(t) => {
                                format!("a {t} rule has: type, required, {}", t.keys().join(", "))
                            }
                            None => format!(
                                "rule keys are: type, required, name, {}",
                                COUNT_KEYS.join(", ")
                            ),
                        };
                        return map
                            .next_value_seed(Reject(format!("unknown key `{k}` ({expected})")));
                    }
                },
            }
        }
        let rule_type = rule_type.ok_or_else(|| {
            de::Error::custom(format!(
                "a rule needs a `type` (one of: {})",
                RuleType::names()
            ))
        })?;
        let mut rule = Rule::new(rule_type);
        rule.required = required.unwrap_or(true);
        for (k, v) in counts {
            rule.set_count(k, v);
        }
        if rule_type == RuleType::Attestation {
            rule.name = Some(name.ok_or_else(|| {
                de::Error::custom("an attestation rule needs the attestation's `name`")
            })?);
        }
        Ok(rule)
    }
}

fn not_for(key: &str, t: RuleType) -> String {
    format!(
        "`{key}` does not apply to a {t} rule (a {t} rule has: type, required, {})",
        t.keys().join(", ")
    )
}

/// Reads a value only to fail at it with a message (so the error carries its line).
struct Reject(String);

impl<'de> DeserializeSeed<'de> for Reject {
    type Value = Rule;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Rule, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reject {
    type Value = Rule;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Rule, E> {
        Err(E::custom(self.0))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Rule, E> {
        Err(E::custom(self.0))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Rule, E> {
        Err(E::custom(self.0))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Rule, E> {
        Err(E::custom(self.0))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Rule, E> {
        Err(E::custom(self.0))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Rule, E> {
        Err(E::custom(self.0))
    }
    fn visit_none<E: de::Error>(self) -> Result<Rule, E> {
        Err(E::custom(self.0))
    }
    fn visit_seq<S: de::SeqAccess<'de>>(self, _: S) -> Result<Rule, S::Error> {
        Err(de::Error::custom(self.0))
    }
    fn visit_map<M: MapAccess<'de>>(self, _: M) -> Result<Rule, M::Error> {
        Err(de::Error::custom(self.0))
    }
}

/// Reads `type`, checking the keys given before it against it.
struct TypeSeed<'a> {
    earlier: &'a [String],
}

impl<'de> DeserializeSeed<'de> for TypeSeed<'_> {
    type Value = RuleType;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RuleType, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TypeSeed<'_> {
    type Value = RuleType;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a rule type ({})", RuleType::names())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RuleType, E> {
        let t = RuleType::from_name(v).ok_or_else(|| {
            E::custom(format!(
                "unknown rule type `{v}` (one of: {})",
                RuleType::names()
            ))
        })?;
        for k in self.earlier {
            let applies =
                matches!(k.as_str(), "type" | "required") || t.keys().contains(&k.as_str());
            if !applies {
                return Err(E::custom(not_for(k, t)));
            }
        }
        Ok(t)
    }
}

/// Reads a count: a whole number of 0 or more.
struct CountSeed(&'static str);

impl<'de> DeserializeSeed<'de> for CountSeed {
    type Value = u64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CountSeed {
    type Value = u64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: a whole number of 0 or more", self.0)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::custom(format!("`{}` must be 0 or more, not {v}", self.0)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        Err(E::custom(format!(
            "`{}` must be a whole number, not {v}",
            self.0
        )))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        Err(E::custom(format!(
            "`{}` must be a whole number, not {v:?}",
            self.0
        )))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<u64, E> {
        Err(E::custom(format!(
            "`{}` must be a whole number, not {v}",
            self.0
        )))
    }
    fn visit_unit<E: de::Error>(self) -> Result<u64, E> {
        Err(E::custom(format!(
            "`{}` must be a whole number, not empty",
            self.0
        )))
    }
}

/// Reads an attestation name: a non-empty string.
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameSeed {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`name`: an attestation name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        if v.trim().is_empty() {
            return Err(E::custom("`name` must not be empty"));
        }
        Ok(v.to_string())
    }
}
