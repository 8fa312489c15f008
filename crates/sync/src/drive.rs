//! Drives one sans-IO session over a [`Transport`]: feed events, carry out actions, hand out
//! outputs, until the session is finished.

use std::time::Instant;

use ble_proto::session::{Action, Characteristic, Event, Session};

use link::{GattError, LinkEvent, Transport};

/// Runs `session` to its end over `transport`, passing every output to `on_output` as it comes.
///
/// The session is started with [`Event::Connected`]; the transport must be connected and its
/// services discovered. Returns once [`Session::is_finished`] is true.
pub async fn drive<S, T>(session: &mut S, transport: &mut T, mut on_output: impl FnMut(S::Output))
where
    S: Session + Send,
    T: Transport,
{
    session.handle_event(Event::Connected, Instant::now());
    loop {
        while let Some(action) = session.poll_action() {
            perform(session, transport, action).await;
        }
        while let Some(output) = session.poll_output() {
            on_output(output);
        }
        if session.is_finished() {
            return;
        }
        let event = match session.poll_timeout() {
            Some(deadline) => {
                let deadline = tokio::time::Instant::from_std(deadline);
                tokio::select! {
                    event = transport.next_event() => Some(event),
                    () = tokio::time::sleep_until(deadline) => None,
                }
            }
            None => Some(transport.next_event().await),
        };
        let now = Instant::now();
        match event {
            None => session.handle_event(Event::Timer, now),
            Some(LinkEvent::Notification {
                characteristic,
                value,
            }) => session.handle_event(
                Event::Notification {
                    characteristic,
                    value: &value,
                },
                now,
            ),
            Some(LinkEvent::Disconnected) => session.handle_event(Event::Disconnected, now),
        }
    }
}

/// Carries out one action and feeds its result back.
async fn perform<S: Session, T: Transport>(session: &mut S, transport: &mut T, action: Action) {
    match action {
        Action::Subscribe {
            characteristic,
            subscription,
        } => {
            let result = transport.subscribe(characteristic, subscription).await;
            let now = Instant::now();
            match result {
                Ok(()) => session.handle_event(Event::Subscribed(characteristic), now),
                Err(error) => fail(session, characteristic, &error),
            }
        }
        Action::Write {
            characteristic,
            value,
        } => {
            let result = transport.write(characteristic, &value).await;
            match result {
                Ok(()) => {
                    session.handle_event(Event::WriteAcknowledged(characteristic), Instant::now())
                }
                Err(error) => fail(session, characteristic, &error),
            }
        }
        Action::Read(characteristic) => match transport.read(characteristic).await {
            Ok(value) => session.handle_event(
                Event::ReadCompleted {
                    characteristic,
                    value: &value,
                },
                Instant::now(),
            ),
            Err(error) => fail(session, characteristic, &error),
        },
        // The driver reads the deadline from `poll_timeout` before each wait.
        Action::SetTimer(_) | Action::CancelTimer => {}
        Action::Disconnect => {
            transport.disconnect().await;
            session.handle_event(Event::Disconnected, Instant::now());
        }
    }
}

/// Feeds a failed GATT operation: a lost link as such, anything else as an ATT error.
fn fail<S: Session>(session: &mut S, characteristic: Characteristic, error: &GattError) {
    let now = Instant::now();
    let event = match error {
        GattError::Disconnected => Event::Disconnected,
        GattError::Att(code) => Event::AttError {
            characteristic,
            code: *code,
        },
        GattError::Missing(_) | GattError::Stack(_) => Event::AttError {
            characteristic,
            code: 0,
        },
    };
    session.handle_event(event, now);
}
