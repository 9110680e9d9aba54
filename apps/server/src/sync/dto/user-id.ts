/** Ids the multi-agent backend uses: letters, digits and . _ @ -, at most 128. */
export const USER_ID_PATTERN = /^[A-Za-z0-9._@-]{1,128}$/;
export const USER_ID_MESSAGE = 'user_id must be 1-128 characters of letters, digits, . _ @ -';
