//! Strapi webhooks: what an event means for the index.
//!
//! Strapi (4 and 5) posts `{"event", "createdAt", "model", "uid", "entry"}`
//! once per change and never retries. A publish, or a create/update of an
//! entry that is published, upserts the article; an unpublish, or a delete
//! of the published row, removes it; drafts are ignored (Strapi 5 sends an
//! `entry.update` of the draft right before each `entry.publish`, and one
//! `entry.delete` per row). Articles are keyed by `documentId` and locale
//! on Strapi 5 (the numeric id changes on every publish) and by `id` on
//! Strapi 4. The event's `createdAt` orders events, so duplicates and
//! late arrivals converge on the latest state; a `createdAt` (or an
//! entry's `updatedAt` or `publishedAt`) from the future is refused,
//! naming the field, since it would make every real change after it look
//! older. A key over 256 bytes is refused too: tantivy could not find it
//! again to delete it.

use serde_json::Value;

use indexer::{Article, Taxonomy};

/// What to do with one webhook.
#[derive(Debug)]
pub enum Action {
    Upsert {
        article: Box<Article>,
        version: String,
    },
    Delete {
        key: String,
        version: String,
    },
    Ignore {
        reason: String,
    },
    /// Strapi's "Trigger" button on the webhook's settings page: no model,
    /// no entry; the answer says the route and the secret work.
    Test,
}

/// A webhook that cannot be understood: the message names what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct BadPayload(pub String);

/// Decides what a webhook body asks for. `models` are the Strapi models
/// that are articles (by `model` name or `uid`).
pub fn action(body: &[u8], models: &[String], taxonomy: &Taxonomy) -> Result<Action, BadPayload> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| BadPayload(format!("the body is not valid JSON: {e}")))?;
    let Value::Object(map) = &value else {
        return Err(BadPayload("the body must be a JSON object".into()));
    };
    let event = match map.get("event") {
        Some(Value::String(e)) => e.as_str(),
        Some(_) => return Err(BadPayload("`event` must be a string".into())),
        None => return Err(BadPayload("missing `event`".into())),
    };
    let version = match map.get("createdAt") {
        Some(Value::String(t)) if !t.is_empty() => t.clone(),
        Some(_) => return Err(BadPayload("`createdAt` must be a timestamp string".into())),
        None => return Err(BadPayload("missing `createdAt`".into())),
    };
    // Every event is checked whole, also the ones that change nothing: a
    // sender whose events are malformed hears so from the first one.
    let action = if event == "trigger-test" {
        Action::Test
    } else if event.starts_with("media.") {
        object(map.get("media"), "media")?;
        Action::Ignore {
            reason: format!("{event} events do not change articles"),
        }
    } else {
        entry_action(map, event, &version, models, taxonomy)?
    };
    check_time(&version, "createdAt")?;
    if let Some(Value::Object(entry)) = map.get("entry") {
        for field in ["updatedAt", "publishedAt"] {
            if let Some(Value::String(t)) = entry.get(field) {
                check_time(t, &format!("entry.{field}"))?;
            }
        }
    }
    Ok(action)
}

/// What an entry event (`entry.*`, or any other that is not `media.*`)
/// asks for.
fn entry_action(
    map: &serde_json::Map<String, Value>,
    event: &str,
    version: &str,
    models: &[String],
    taxonomy: &Taxonomy,
) -> Result<Action, BadPayload> {
    let uid = match map.get("uid") {
        None => None,
        Some(Value::String(uid)) => Some(uid.as_str()),
        Some(_) => return Err(BadPayload("`uid` must be a string".into())),
    };
    let model = match (map.get("model"), uid) {
        (Some(Value::String(m)), _) => m.clone(),
        (None, Some(uid)) => uid.to_string(),
        (Some(_), _) => return Err(BadPayload("`model` must be a string".into())),
        (None, None) => return Err(BadPayload("missing `model`".into())),
    };
    let entry = object(map.get("entry"), "entry")?;
    let uid = uid.unwrap_or_default();
    if !models.iter().any(|m| *m == model || *m == uid) {
        return Ok(Action::Ignore {
            reason: format!(
                "model {model:?} is not an article model ({})",
                models.join(", ")
            ),
        });
    }
    let version = version.to_string();
    let published = !matches!(entry.get("publishedAt"), None | Some(Value::Null));
    match event {
        "entry.publish" | "entry.create" | "entry.update" => {
            if !published {
                return Ok(Action::Ignore {
                    reason: format!("{event} of a draft (publishedAt is null)"),
                });
            }
            let (article, _warnings) =
                indexer::parse_entry("webhook", entry, taxonomy).map_err(|p| {
                    BadPayload(format!(
                        "entry{}: {}",
                        p.path.trim_start_matches('$'),
                        p.reason
                    ))
                })?;
            Ok(Action::Upsert {
                article: Box::new(article),
                version,
            })
        }
        "entry.unpublish" | "entry.delete" => {
            if event == "entry.delete" && !published {
                return Ok(Action::Ignore {
                    reason: "entry.delete of a draft row (the published row has its own event)"
                        .into(),
                });
            }
            Ok(Action::Delete {
                key: key_of(entry, taxonomy.default_locale())?,
                version,
            })
        }
        other => Ok(Action::Ignore {
            reason: format!("{other} events do not change articles"),
        }),
    }
}

/// The JSON object a field must hold.
fn object<'a>(value: Option<&'a Value>, field: &str) -> Result<&'a Value, BadPayload> {
    match value {
        Some(v @ Value::Object(_)) => Ok(v),
        Some(_) => Err(BadPayload(format!("`{field}` must be an object"))),
        None => Err(BadPayload(format!("missing `{field}`"))),
    }
}

/// An event's `createdAt` orders it among the others: it must be a time,
/// and not one from the future (beyond the clock tolerance), nor may the
/// entry's own times be.
fn check_time(text: &str, field: &str) -> Result<(), BadPayload> {
    use time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(text, &Rfc3339) {
        Ok(at) if at > time::OffsetDateTime::now_utc() + index::CLOCK_TOLERANCE => {
            Err(BadPayload(format!(
                "`{field}` {text:?} is more than {} minutes ahead of this server's clock: a change dated in the future would make every later change look older (check the clocks of Strapi's host and this one)",
                index::CLOCK_TOLERANCE.as_secs() / 60
            )))
        }
        Ok(_) => Ok(()),
        // Only the event's time orders changes; an entry's other times
        // are Strapi's own affair when they are not times.
        Err(_) if field != "createdAt" => Ok(()),
        Err(_) => Err(BadPayload(format!(
            "`{field}` {text:?} is not an RFC 3339 timestamp such as 2024-05-01T10:00:00.000Z"
        ))),
    }
}

/// The article key of an entry, as the indexer computes it (an entry that
/// names no locale is in the site's default one).
fn key_of(entry: &Value, default_locale: &str) -> Result<String, BadPayload> {
    let document = entry.get("documentId").and_then(Value::as_str);
    let locale = entry
        .get("locale")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .unwrap_or(default_locale);
    let id = entry.get("id").and_then(Value::as_i64);
    if document.is_none() && id.is_none() {
        return Err(BadPayload(
            "the entry has neither `documentId` nor `id`".into(),
        ));
    }
    let key = indexer::article_key(document, locale, id, "");
    if key.len() > indexer::MAX_KEY {
        let field = if document.is_some() {
            "documentId"
        } else {
            "locale"
        };
        return Err(BadPayload(format!(
            "entry.{field}: the article key it makes is {} bytes, more than the {} a key may have",
            key.len(),
            indexer::MAX_KEY
        )));
    }
    Ok(key)
}

/// Compares a presented secret with the expected one in time that does not
/// depend on where they differ (only a difference in length shows, and a
/// secret's strength does not rest on its length being unknown).
pub fn secret_matches(presented: &[u8], expected: &[u8]) -> bool {
    subtle::ConstantTimeEq::ct_eq(presented, expected).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recording(name: &str) -> Vec<u8> {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/strapi/webhooks/"
        );
        let path = std::fs::read_dir(dir)
            .expect("the Strapi recordings in tests/fixtures/strapi")
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name().unwrap().to_string_lossy().starts_with(name)
                    && p.extension().is_some_and(|e| e == "body")
            })
            .unwrap_or_else(|| panic!("recording {name}"));
        std::fs::read(path).unwrap()
    }

    fn act(name: &str) -> Action {
        action(&recording(name), &["article".into()], &Taxonomy::builtin()).unwrap()
    }

    #[test]
    fn the_recorded_strapi_lifecycle_maps_to_upserts_deletes_and_ignores() {
        assert!(matches!(act("001-"), Action::Ignore { .. }), "media.create");
        assert!(matches!(act("002-"), Action::Ignore { .. }), "a category");
        assert!(
            matches!(act("004-"), Action::Ignore { .. }),
            "a draft create"
        );
        assert!(
            matches!(act("005-"), Action::Ignore { .. }),
            "the draft update before a publish"
        );
        match act("006-") {
            Action::Upsert { article, version } => {
                assert_eq!(article.key, "cwoyil6d0v1j1x34evlj1wam@en");
                assert_eq!(article.slug, "indexing-strapi-with-webhooks");
                assert_eq!(version, "2026-11-29T11:37:22.898Z");
                assert!(article.pieces.len() > 5);
            }
            other => panic!("{other:?}"),
        }
        match act("010-") {
            Action::Delete { key, .. } => assert_eq!(key, "cwoyil6d0v1j1x34evlj1wam@en"),
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(act("016-"), Action::Ignore { .. }),
            "delete of the draft row"
        );
        assert!(
            matches!(act("017-"), Action::Delete { .. }),
            "delete of the published row"
        );
    }

    #[test]
    fn strapis_trigger_test_is_a_test_not_an_error() {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/strapi/i18n/webhooks/031-trigger-test.body"
        ))
        .unwrap();
        let t = Taxonomy::builtin();
        assert!(matches!(
            action(&body, &["article".into()], &t),
            Ok(Action::Test)
        ));
    }

    #[test]
    fn malformed_payloads_name_what_is_wrong() {
        let t = Taxonomy::builtin();
        let m = ["article".to_string()];
        let err = |body: &str| action(body.as_bytes(), &m, &t).unwrap_err().0;
        assert!(err("{").contains("not valid JSON"));
        assert!(err("[]").contains("JSON object"));
        assert!(
            err(r#"{"createdAt": "x", "model": "article", "entry": {}}"#)
                .contains("missing `event`")
        );
        assert!(
            err(r#"{"event": "entry.publish", "model": "article", "entry": {}}"#)
                .contains("createdAt")
        );
        assert!(
            err(r#"{"event": "entry.publish", "createdAt": "t", "model": "article"}"#)
                .contains("missing `entry`")
        );
        assert!(err(r#"{"event": "entry.publish", "createdAt": "t", "model": "article", "entry": {"publishedAt": "t", "blocks": 5}}"#)
            .contains("entry.blocks"));
        assert!(err(r#"{"event": "entry.unpublish", "createdAt": "t", "model": "article", "entry": {"publishedAt": "t"}}"#)
            .contains("documentId"));
    }

    #[test]
    fn every_recorded_strapi_webhook_is_understood() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/strapi");
        let mut pending = vec![std::path::PathBuf::from(root)];
        let mut seen = 0;
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "body")
                    && path.parent().is_some_and(|p| p.ends_with("webhooks"))
                {
                    let body = std::fs::read(&path).unwrap();
                    let taxonomy = Taxonomy::builtin();
                    let result = action(&body, &["article".into()], &taxonomy);
                    assert!(result.is_ok(), "{}: {:?}", path.display(), result.err());
                    seen += 1;
                }
            }
        }
        assert!(seen > 20, "{seen} recordings");
    }

    #[test]
    fn events_that_change_nothing_are_checked_whole_too() {
        let t = Taxonomy::builtin();
        let m = ["article".to_string()];
        let err = |body: &str| action(body.as_bytes(), &m, &t).unwrap_err().0;
        assert!(err(r#"{"event": "media.create", "media": {}}"#).contains("createdAt"));
        assert!(
            err(r#"{"event": "media.create", "createdAt": "2026-01-01T00:00:00Z"}"#)
                .contains("missing `media`")
        );
        assert!(err(r#"{"event": "entry.publish", "createdAt": "2026-01-01T00:00:00Z", "model": "article", "uid": {}, "entry": {}}"#)
            .contains("`uid` must be a string"));
        assert!(err(
            r#"{"event": "entry.create", "createdAt": "2026-01-01T00:00:00Z", "model": "category"}"#
        )
        .contains("missing `entry`"));
        assert!(err(r#"{"event": "entry.create", "createdAt": "yesterday", "model": "category", "entry": {}}"#)
            .contains("not an RFC 3339 timestamp"));
        let draft = r#"{"event": "entry.create", "createdAt": "2026-01-01T00:00:00.123Z", "uid": "article", "entry": {"publishedAt": null}}"#;
        assert!(matches!(
            action(draft.as_bytes(), &m, &t),
            Ok(Action::Ignore { .. })
        ));
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(secret_matches(b"s3cret", b"s3cret"));
        assert!(!secret_matches(b"s3cre", b"s3cret"));
        assert!(!secret_matches(b"s3cretX", b"s3cret"));
        assert!(!secret_matches(b"", b"s3cret"));
    }
}
