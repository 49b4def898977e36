// What the group workflow is started and signalled with (README "Grouping"). Members live in the
// store; a signal only says "look again", so signals can be repeated or merged without harm.
import { defineSignal } from '@temporalio/workflow';
import type { GroupRunSnapshot } from './state';

export type GroupWorkflowInput = {
  keyId: string;
  /** Set by continue-as-new within one episode: where the previous run left off. */
  resume?: GroupRunSnapshot;
};

export const membersChangedSignal = defineSignal('membersChanged');
