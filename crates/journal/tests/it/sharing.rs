//! Sharing as the journal keeps it: what a grant covers is queued in the same transaction as
//! the reading, edits and deletes follow what a care team already holds, pause holds, revoke
//! cancels, an end date ends, and the transmission log detects any tampering.

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use journal::sharing::{
    GrantState, GrantTerms, LogProblem, NewRecipient, Outcome, RecipientId, Sent, SignIn,
};
use journal::{EntryEdit, Journal, NewEntry, PersonId};
use readings::{Flag, Kind};
use zeroize::Zeroizing;

use crate::support::*;

const BY: &str = "tests";

fn recent(hours: i64) -> String {
    (Utc::now() - Duration::hours(hours))
        .fixed_offset()
        .to_rfc3339()
}

fn clinic(j: &mut Journal, name: &str) -> RecipientId {
    j.add_recipient(
        &NewRecipient {
            name: name.into(),
            fhir_base: "https://fhir.example.org/r4".into(),
            patient: Some("Patient/p1".into()),
            sign_in: SignIn::Token,
            secret: Zeroizing::new("secret-token".into()),
        },
        BY,
    )
    .unwrap()
}

fn terms(kinds: &[Kind], realtime: bool) -> GrantTerms {
    GrantTerms {
        kinds: kinds.iter().copied().collect(),
        notes: false,
        since: None,
        realtime,
        until: None,
    }
}

/// How many readings are due for each care team now.
fn due_count(j: &mut Journal) -> usize {
    j.sharing_due(Utc::now(), 1000)
        .unwrap()
        .iter()
        .map(|d| d.items.len())
        .sum()
}

/// Sends whatever is due and says the server took it all.
fn deliver_all(j: &mut Journal) -> usize {
    let mut n = 0;
    for due in j.sharing_due(Utc::now(), 1000).unwrap() {
        let sent = Sent {
            recipient: due.recipient.id,
            entries: due
                .items
                .iter()
                .map(|i| (i.entry.id, i.entry.version))
                .collect(),
            kinds: due.items.iter().map(|i| i.entry.content.kind()).collect(),
            identifiers: vec![],
        };
        n += sent.entries.len();
        j.record_send(
            &sent,
            &Outcome::Delivered {
                resources: vec!["Observation/1".into()],
            },
        )
        .unwrap();
    }
    n
}

#[test]
fn a_real_time_grant_queues_only_what_it_covers() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(&dir.path().join("a"));
    j.add(&glucose("5.5", &recent(30))).unwrap();
    let team = clinic(&mut j, "Clinic");
    assert_eq!(due_count(&mut j), 0, "nothing goes before a grant");

    let since = Utc::now() - Duration::hours(1);
    j.grant(
        team,
        &GrantTerms {
            since: Some(since),
            ..terms(&[Kind::Glucose], true)
        },
        BY,
    )
    .unwrap();
    assert_eq!(
        due_count(&mut j),
        0,
        "a reading before the grant's start stays"
    );

    j.add(&glucose("6.1", &recent(0))).unwrap();
    j.add(&bp("120", "80", "60", &recent(0))).unwrap();
    let mut control = glucose("7.0", &recent(0));
    control.flags = BTreeSet::from([Flag::ControlSolution]);
    j.add(&control).unwrap();
    let someone = j.add_person("Sam").unwrap();
    j.add(&NewEntry {
        person: Some(someone),
        ..glucose("6.2", &recent(0))
    })
    .unwrap();
    let due = j.sharing_due(Utc::now(), 1000).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        due[0].items.len(),
        1,
        "only the patient's own glucose reading"
    );
    assert_eq!(due[0].items[0].entry.person, PersonId(1));
    assert!(!due[0].items[0].update);
    assert_eq!(due[0].secret.as_str(), "secret-token");
}

#[test]
fn a_grant_reaching_back_queues_the_history_and_edits_follow_what_was_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(&dir.path().join("a"));
    let first = j.add(&glucose("5.5", &recent(48))).unwrap().id();
    j.add(&glucose("5.9", &recent(47))).unwrap();
    let team = clinic(&mut j, "Clinic");
    assert_eq!(
        j.grant(team, &terms(&[Kind::Glucose], true), BY).unwrap(),
        2
    );
    assert_eq!(deliver_all(&mut j), 2);
    assert_eq!(due_count(&mut j), 0, "delivered readings leave the queue");

    j.edit(
        first,
        &EntryEdit {
            note: Some(Some("after a run".into())),
            ..EntryEdit::default()
        },
    )
    .unwrap();
    let due = j.sharing_due(Utc::now(), 1000).unwrap();
    assert_eq!(due[0].items.len(), 1);
    assert!(
        due[0].items[0].update,
        "an edit updates what the server holds"
    );
    deliver_all(&mut j);

    j.delete(first).unwrap();
    let due = j.sharing_due(Utc::now(), 1000).unwrap();
    assert!(
        due[0].items[0].entry.deleted,
        "a delete reaches the care team too"
    );
    deliver_all(&mut j);

    // A reading deleted before it ever went is simply not sent.
    let never = j.add(&glucose("6.6", &recent(0))).unwrap().id();
    j.delete(never).unwrap();
    assert_eq!(due_count(&mut j), 0);
}

#[test]
fn pause_holds_revoke_cancels_and_an_end_date_ends() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(&dir.path().join("a"));
    let team = clinic(&mut j, "Clinic");
    j.grant(team, &terms(&[Kind::Glucose], true), BY).unwrap();
    j.pause_sharing(team, BY).unwrap();
    j.add(&glucose("5.5", &recent(0))).unwrap();
    assert_eq!(due_count(&mut j), 0, "paused: held");
    j.resume_sharing(team, BY).unwrap();
    assert_eq!(due_count(&mut j), 1, "resumed: due");

    assert_eq!(
        j.revoke_sharing(team, BY).unwrap(),
        1,
        "revoke cancels the queue"
    );
    j.add(&glucose("5.6", &recent(0))).unwrap();
    assert_eq!(due_count(&mut j), 0, "revoked: nothing new is queued");
    assert_eq!(
        j.recipient("Clinic").unwrap().grant.unwrap().state,
        GrantState::Revoked
    );

    let other = clinic(&mut j, "Lab");
    j.grant(
        other,
        &GrantTerms {
            until: Some(Utc::now() + Duration::milliseconds(300)),
            ..terms(&[Kind::Glucose], true)
        },
        BY,
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(due_count(&mut j), 0, "an ended grant sends nothing");
    assert_eq!(
        j.recipient("Lab").unwrap().grant.unwrap().state,
        GrantState::Revoked
    );
    let changes: Vec<String> = j
        .consent_changes()
        .unwrap()
        .into_iter()
        .map(|c| c.what)
        .collect();
    assert!(
        changes.iter().any(|c| c == "sharing ended on its end date"),
        "{changes:?}"
    );
    assert!(
        changes.iter().any(|c| c.starts_with("paused")),
        "{changes:?}"
    );
}

#[test]
fn a_grant_without_real_time_waits_for_the_patient_to_send() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(&dir.path().join("a"));
    let team = clinic(&mut j, "Clinic");
    j.grant(team, &terms(&[Kind::BloodPressure], false), BY)
        .unwrap();
    j.add(&bp("120", "80", "60", &recent(0))).unwrap();
    assert_eq!(due_count(&mut j), 0);
    assert_eq!(j.queue_all_covered().unwrap(), 1);
    assert_eq!(due_count(&mut j), 1);
}

#[test]
fn retries_wait_and_refusals_stay_for_the_patient() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(&dir.path().join("a"));
    let team = clinic(&mut j, "Clinic");
    j.grant(team, &terms(&[Kind::Glucose], true), BY).unwrap();
    j.add(&glucose("5.5", &recent(0))).unwrap();
    let due = j.sharing_due(Utc::now(), 10).unwrap();
    let item = &due[0].items[0];
    let sent = Sent {
        recipient: team,
        entries: vec![(item.entry.id, item.entry.version)],
        kinds: BTreeSet::from([Kind::Glucose]),
        identifiers: vec!["urn:uuid:x".into()],
    };
    j.record_send(
        &sent,
        &Outcome::Retry {
            after: Utc::now() + Duration::hours(1),
            problem: "the server is busy".into(),
        },
    )
    .unwrap();
    assert_eq!(due_count(&mut j), 0, "waits for its backoff");
    let status = j.sharing_status().unwrap();
    assert_eq!(status[0].pending, 1);
    assert!(status[0].next_attempt.is_some());
    assert!(status[0].problem.as_deref().unwrap().contains("busy"));

    j.queue_all_covered().unwrap();
    let due = j.sharing_due(Utc::now(), 10).unwrap();
    assert_eq!(due[0].items[0].attempts, 1, "send now makes it due at once");
    j.record_send(
        &sent,
        &Outcome::Refused {
            problem: "Observation.code: required".into(),
        },
    )
    .unwrap();
    assert_eq!(due_count(&mut j), 0);
    assert_eq!(j.refused_sends().unwrap().len(), 1);
    assert_eq!(j.retry_refused(team).unwrap(), 1);
    assert_eq!(due_count(&mut j), 1);
}

#[test]
fn the_transmission_log_detects_alteration_reordering_and_removal() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(&dir.path().join("a"));
    let team = clinic(&mut j, "Clinic");
    j.grant(team, &terms(&[Kind::Glucose], true), BY).unwrap();
    for i in 0..4 {
        j.add(&glucose(&format!("5.{i}"), &recent(0))).unwrap();
        deliver_all(&mut j);
    }
    assert_eq!(j.transmissions(None).unwrap().len(), 4);
    assert_eq!(j.verify_transmissions().unwrap(), None);
    j.execute_for_tests("SAVEPOINT t").unwrap();

    let tampered = [
        (
            "UPDATE share_transmissions SET result = 'refused' WHERE id = 2",
            LogProblem::BrokenAt(2),
        ),
        (
            "UPDATE share_transmissions SET at_utc_ms = at_utc_ms + 1 WHERE id = 4",
            LogProblem::BrokenAt(4),
        ),
        (
            "DELETE FROM share_transmissions WHERE id = 2",
            LogProblem::BrokenAt(2),
        ),
        (
            "DELETE FROM share_transmissions WHERE id = 4",
            LogProblem::Truncated {
                written: 4,
                held: 3,
            },
        ),
        (
            "UPDATE share_transmissions SET id = id + 10 WHERE id = 1; \
             UPDATE share_transmissions SET id = 1 WHERE id = 2; \
             UPDATE share_transmissions SET id = 2 WHERE id = 11",
            LogProblem::BrokenAt(1),
        ),
    ];
    for (sql, problem) in tampered {
        j.execute_for_tests(sql).unwrap();
        assert_eq!(j.verify_transmissions().unwrap(), Some(problem), "{sql}");
        j.execute_for_tests("ROLLBACK TO t").unwrap();
        assert_eq!(j.verify_transmissions().unwrap(), None);
    }
    j.execute_for_tests("RELEASE t").unwrap();
}

#[test]
fn care_team_names_are_unique_and_grants_need_readings() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(&dir.path().join("a"));
    let team = clinic(&mut j, "Clinic");
    assert!(matches!(
        j.add_recipient(
            &NewRecipient {
                name: "Clinic".into(),
                fhir_base: "https://x.example".into(),
                patient: None,
                sign_in: SignIn::Token,
                secret: Zeroizing::new(String::new()),
            },
            BY
        ),
        Err(journal::Error::RecipientExists(_))
    ));
    assert!(j.grant(team, &terms(&[Kind::Meal], true), BY).is_err());
    assert!(j.grant(team, &terms(&[], true), BY).is_err());
    assert!(matches!(
        j.pause_sharing(team, BY),
        Err(journal::Error::NoGrant(_))
    ));
    assert!(matches!(
        j.recipient("Nobody"),
        Err(journal::Error::UnknownRecipient(_))
    ));
}

mod consent_property {
    //! Random interleavings of readings, edits, deletes, grants, pauses, resumes, revokes and
    //! sends: nothing is ever due for a care team outside an active grant that covers it (a
    //! deleted reading goes only where an earlier version went, to correct it), and what was
    //! delivered was covered when it went.

    use std::collections::BTreeSet;

    use chrono::{Duration, Utc};
    use journal::sharing::{GrantTerms, Outcome, RecipientId, Sent};
    use journal::{EntryEdit, EntryId, NewEntry};
    use proptest::prelude::*;
    use readings::{Flag, Kind};

    use super::{BY, clinic};
    use crate::support::*;

    #[derive(Debug, Clone)]
    enum Op {
        Add {
            kind: u8,
            hours_ago: i64,
            someone_else: bool,
            control: bool,
        },
        Edit {
            pick: usize,
        },
        Delete {
            pick: usize,
        },
        Grant {
            team: usize,
            kinds: u8,
            since_hours_ago: Option<i64>,
            realtime: bool,
        },
        Pause {
            team: usize,
        },
        Resume {
            team: usize,
        },
        Revoke {
            team: usize,
        },
        Send,
        SendEverything,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0u8..3, 0i64..72, any::<bool>(), prop::bool::weighted(0.1)).prop_map(
                |(kind, hours_ago, someone_else, control)| Op::Add { kind, hours_ago, someone_else, control }
            ),
            1 => any::<usize>().prop_map(|pick| Op::Edit { pick }),
            1 => any::<usize>().prop_map(|pick| Op::Delete { pick }),
            2 => (0usize..2, 1u8..8, prop::option::of(0i64..96), any::<bool>()).prop_map(
                |(team, kinds, since_hours_ago, realtime)| Op::Grant { team, kinds, since_hours_ago, realtime }
            ),
            1 => (0usize..2).prop_map(|team| Op::Pause { team }),
            1 => (0usize..2).prop_map(|team| Op::Resume { team }),
            1 => (0usize..2).prop_map(|team| Op::Revoke { team }),
            2 => Just(Op::Send),
            1 => Just(Op::SendEverything),
        ]
    }

    const KINDS: [Kind; 3] = [Kind::Glucose, Kind::BloodPressure, Kind::Weight];

    fn reading(kind: u8, time: &str) -> NewEntry {
        match KINDS[usize::from(kind) % 3] {
            Kind::Glucose => glucose("5.5", time),
            Kind::BloodPressure => bp("120", "80", "60", time),
            _ => NewEntry::manual(
                readings::Content::Weight(readings::Quantity {
                    value: "70.5".parse().unwrap(),
                    unit: readings::Unit::Kg,
                }),
                at(time),
            ),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn nothing_is_due_outside_an_active_grant(ops in proptest::collection::vec(op(), 1..40)) {
            let dir = tempfile::tempdir().unwrap();
            let (mut j, _) = create(&dir.path().join("a"));
            let teams = [clinic(&mut j, "Clinic"), clinic(&mut j, "Lab")];
            let someone = j.add_person("Sam").unwrap();
            let mut entries: Vec<EntryId> = Vec::new();
            let mut delivered: BTreeSet<(RecipientId, EntryId)> = BTreeSet::new();
            for op in ops {
                let sends = matches!(op, Op::Send | Op::SendEverything);
                match op {
                    Op::Add { kind, hours_ago, someone_else, control } => {
                        let time = (Utc::now() - Duration::hours(hours_ago)).fixed_offset().to_rfc3339();
                        let mut new = reading(kind, &time);
                        if someone_else {
                            new.person = Some(someone);
                        }
                        if control && kind == 0 {
                            new.flags = BTreeSet::from([Flag::ControlSolution]);
                        }
                        entries.push(j.add(&new).unwrap().id());
                    }
                    Op::Edit { pick } if !entries.is_empty() => {
                        let id = entries[pick % entries.len()];
                        let _ = j.edit(id, &EntryEdit { note: Some(Some("edited".into())), ..EntryEdit::default() });
                    }
                    Op::Delete { pick } if !entries.is_empty() => {
                        let _ = j.delete(entries[pick % entries.len()]);
                    }
                    Op::Grant { team, kinds, since_hours_ago, realtime } => {
                        let kinds = KINDS.iter().enumerate().filter(|(i, _)| kinds & (1 << i) != 0).map(|(_, k)| *k).collect();
                        j.grant(teams[team], &GrantTerms {
                            kinds,
                            notes: false,
                            since: since_hours_ago.map(|h| Utc::now() - Duration::hours(h)),
                            realtime,
                            until: None,
                        }, BY).unwrap();
                    }
                    Op::Pause { team } => { let _ = j.pause_sharing(teams[team], BY); }
                    Op::Resume { team } => { let _ = j.resume_sharing(teams[team], BY); }
                    Op::Revoke { team } => { let _ = j.revoke_sharing(teams[team], BY); }
                    Op::SendEverything => { j.queue_all_covered().unwrap(); }
                    Op::Send | Op::Edit { .. } | Op::Delete { .. } => {}
                }
                let now = Utc::now();
                let due = j.sharing_due(now, 1000).unwrap();
                for d in &due {
                    let grant = j.recipients().unwrap().into_iter().find(|r| r.id == d.recipient.id).unwrap().grant;
                    let grant = grant.expect("due without a grant");
                    prop_assert!(grant.sends(now), "due while {:?}", grant.state);
                    for item in &d.items {
                        let covered = grant.covers(&journal::sharing::Shareable::of(&item.entry));
                        if item.entry.deleted {
                            prop_assert!(delivered.contains(&(d.recipient.id, item.entry.id)), "a deleted reading that never went");
                        } else {
                            prop_assert!(covered, "due but not covered: {:?}", item.entry.content.kind());
                        }
                        prop_assert_eq!(item.entry.person, journal::PersonId(1));
                        prop_assert!(!item.entry.flags.contains(&Flag::ControlSolution));
                    }
                }
                if !sends {
                    continue;
                }
                for d in due {
                    let sent = Sent {
                        recipient: d.recipient.id,
                        entries: d.items.iter().map(|i| (i.entry.id, i.entry.version)).collect(),
                        kinds: d.items.iter().map(|i| i.entry.content.kind()).collect(),
                        identifiers: vec![],
                    };
                    for (entry, _) in &sent.entries {
                        delivered.insert((d.recipient.id, *entry));
                    }
                    j.record_send(&sent, &Outcome::Delivered { resources: vec![] }).unwrap();
                }
            }
        }
    }
}
