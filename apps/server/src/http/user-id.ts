import { BadRequestException } from '@nestjs/common';
import { USER_ID_PATTERN } from '@storesync/core';
import { registerDecorator, ValidationOptions } from 'class-validator';

export { USER_ID_PATTERN };
export const USER_ID_MESSAGE = 'user_id must be 1-128 characters of letters, digits, . _ @ -, not . or .., and not the quarantine folder';

/**
 * User ids that would name a folder the service uses itself: the first segment of
 * SYNC_QUARANTINE_PREFIX (a user "quarantine" would have their files inside the quarantine).
 * Set once at start from the validated configuration (configureApp).
 */
const reservedUserIds = new Set<string>(['quarantine']);

export function reserveUserIdsFor(quarantinePrefix: string): void {
  reservedUserIds.clear();
  reservedUserIds.add(quarantinePrefix.split('/')[0]);
}

export function isValidUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID_PATTERN.test(value) && !reservedUserIds.has(value);
}

/** class-validator: a user id by isValidUserId. */
export function IsUserId(options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isUserId',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: options.each
          ? `each ${String(propertyName)} entry must be a valid user id (${USER_ID_MESSAGE.replace(/^user_id must be /, '')})`
          : USER_ID_MESSAGE.replace(/^user_id/, String(propertyName)),
        ...options,
      },
      validator: { validate: (value: unknown) => isValidUserId(value) },
    });
}

/** A 400 in the shape the validation pipe uses, naming the field. */
export function invalidField(field: string, message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message, fields: [{ field, message }] });
}

/** For inputs outside DTOs (multipart fields, route params). */
export function requireUserId(value: unknown, field = 'user_id'): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidField(field, `${field} is required`);
  if (!isValidUserId(value)) throw invalidField(field, USER_ID_MESSAGE.replace(/^user_id/, field));
  return value;
}
