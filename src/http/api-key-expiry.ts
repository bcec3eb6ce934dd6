/** On every answer to a key that expires: when, so that a system sending with it can warn before it stops working. */
export const apiKeyExpiresHeader = 'cmehub-api-key-expires';

/** A key's last days, in which those who hold it are told to make its successor (the web app's list of keys says so too). */
export const apiKeyExpiresSoonDays = 14;
