-- Notifications arrive live (issue 10): every change to someone's notifications — a new one (the
-- notifier's replies and follows, a moderator's decision in its own transaction), one made unread
-- again by a later decision, one read, one gone with its contribution — is announced with
-- pg_notify('user_notifications', <user id>) at commit, so every app instance hears it and nudges
-- that person's open streams (lib/live/user-hub.ts). The payload is only the id: the browser asks
-- for its unread count through the ordinary, authorised API. A statement touching many rows of
-- one person notifies once (PostgreSQL folds identical notifications of one transaction).

CREATE FUNCTION "notification_user_event"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('user_notifications', OLD."userId"::text);
  ELSE
    PERFORM pg_notify('user_notifications', NEW."userId"::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Notification_user_event"
AFTER INSERT OR UPDATE OR DELETE ON "Notification"
FOR EACH ROW EXECUTE FUNCTION "notification_user_event"();
