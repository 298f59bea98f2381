import { cache } from "react";
import { getCurrentUser } from "@/lib/auth/session";

/**
 * The signed-in user, read once per request: the layout, the admin sub-navigation and the
 * page all ask, and each getCurrentUser() is a session decode plus a database read.
 */
export const currentUser = cache(getCurrentUser);
