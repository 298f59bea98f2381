-- Undo of a moderator's last decision (issue 14, defect 9).
--
-- A decision's audit entries now carry, in "details", a batch id and what the undo needs to put
-- back (the contribution's queue time, reason and open report count; the reports and the appeal
-- the decision closed). Undoing writes new UNDO entries: the log stays append-only, and the
-- decision itself stays in it.
ALTER TYPE "ModerationAction" ADD VALUE 'UNDO';
