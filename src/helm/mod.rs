//! Helm v3 as the lab's terminal and scenarios run it: releases kept per revision (the storage
//! driver's records), the commands that write them (`install`, `upgrade`, `rollback`,
//! `uninstall`: [`action`]) applied to the cluster as helm's kube client applies them, and what
//! helm prints about them ([`print`]). The command line is [`command`]; the chart renderer is
//! `crate::chart`.

pub mod action;
pub mod command;
pub mod print;
pub mod release;

pub use action::{locate_chart, plan, HelmCommand, Plan};
pub use command::{Invocation, Refusal, Verb};
pub use release::{Content, Release, Status};
