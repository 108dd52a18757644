//! The message queue in front of the primary: writes wait here until a consumer
//! takes them, FIFO or urgent first.

use super::config::QueueOrder;
use crate::cache::Key;
use std::collections::VecDeque;

/// A write waiting in the queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Message {
    /// The row written.
    pub key: Key,
    /// When the app server enqueued it (the write's lag is measured from here).
    pub enqueued_at: f64,
    /// Marked urgent by its producer.
    pub urgent: bool,
}

/// The queue.
#[derive(Debug, Clone, Default)]
pub struct WriteQueue {
    urgent: VecDeque<Message>,
    normal: VecDeque<Message>,
}

#[allow(clippy::len_without_is_empty)] // nothing asks whether it is empty
impl WriteQueue {
    /// Adds `message`; under `Priority` urgent ones go to their own lane.
    pub fn push(&mut self, message: Message, order: QueueOrder) {
        if message.urgent && order == QueueOrder::Priority {
            self.urgent.push_back(message);
        } else {
            self.normal.push_back(message);
        }
    }

    /// Puts back a message a consumer could not write (it goes first).
    pub fn push_front(&mut self, message: Message) {
        self.urgent.push_front(message);
    }

    /// The next message for a consumer: the urgent lane first.
    pub fn pop(&mut self) -> Option<Message> {
        self.urgent.pop_front().or_else(|| self.normal.pop_front())
    }

    /// Messages waiting.
    pub fn len(&self) -> usize {
        self.urgent.len() + self.normal.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(key: Key, urgent: bool) -> Message {
        Message {
            key,
            enqueued_at: 0.0,
            urgent,
        }
    }

    #[test]
    fn priority_lets_urgent_writes_jump_the_queue_and_fifo_does_not() {
        let mut q = WriteQueue::default();
        q.push(msg(1, false), QueueOrder::Priority);
        q.push(msg(2, true), QueueOrder::Priority);
        assert_eq!(q.pop().map(|m| m.key), Some(2));
        let mut q = WriteQueue::default();
        q.push(msg(1, false), QueueOrder::Fifo);
        q.push(msg(2, true), QueueOrder::Fifo);
        assert_eq!(q.pop().map(|m| m.key), Some(1));
        assert_eq!(q.len(), 1);
    }
}
