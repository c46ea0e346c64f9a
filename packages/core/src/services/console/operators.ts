/** Operators (the platform owner's staff): created from the command line (`pims operator create`), never by the API. */
import { pimsError } from '@pims/contracts';
import type { Operator } from '../../stores/records.js';
import { isUniqueViolation } from './conflicts.js';
import type { ConsoleContext, ConsoleDeps } from './console-deps.js';
import { recordChange } from './audit-trail.js';

export interface CreateOperatorInput {
  email: string;
  name: string;
  password: string;
}

export type OperatorView = Omit<Operator, 'passwordHash'>;

export function operatorView(operator: Operator): OperatorView {
  const { passwordHash: _hash, ...view } = operator;
  return view;
}

export async function createOperator(
  deps: Pick<ConsoleDeps, 'storage' | 'clock' | 'ids' | 'passwords'>,
  ctx: ConsoleContext,
  input: CreateOperatorInput,
): Promise<OperatorView> {
  const passwordHash = await deps.passwords.hash(input.password);
  const now = deps.clock.now();
  try {
    return await deps.storage.transaction(async (stores) => {
      const operator = await stores.operators.insertOperator({
        id: deps.ids.uuid(),
        email: input.email.toLowerCase(),
        name: input.name,
        passwordHash,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      });
      await recordChange(deps, stores, ctx, {
        orgId: null,
        action: 'operator.created',
        targetType: 'operator',
        targetId: operator.id,
        details: { email: operator.email },
      });
      return operatorView(operator);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw pimsError('console.conflict', {
        details: [{ field: 'email', message: 'is already an operator' }],
      });
    throw err;
  }
}
