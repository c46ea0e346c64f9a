import { randomUUID } from 'node:crypto';

/** A customer of the sample upstream. */
export interface Customer {
  id: string;
  name: string;
  email: string | null;
  createdAt: string;
}

/** Customers kept in memory, per org; every read and write takes the org id first (GW-3). */
export class CustomerStore {
  readonly #byOrg = new Map<string, Map<string, Customer>>();
  readonly #maxPerOrg: number;

  constructor(maxPerOrg = 1000) {
    this.#maxPerOrg = maxPerOrg;
  }

  /** Undefined when the org already holds the maximum number of customers. */
  insertCustomer(
    orgId: string,
    input: { name: string; email: string | null },
    now: Date,
  ): Customer | undefined {
    let customers = this.#byOrg.get(orgId);
    if (customers === undefined) {
      customers = new Map();
      this.#byOrg.set(orgId, customers);
    }
    if (customers.size >= this.#maxPerOrg) return undefined;
    const customer: Customer = {
      id: randomUUID(),
      name: input.name,
      email: input.email,
      createdAt: now.toISOString(),
    };
    customers.set(customer.id, customer);
    return customer;
  }

  findCustomerById(orgId: string, id: string): Customer | undefined {
    return this.#byOrg.get(orgId)?.get(id);
  }

  listCustomers(orgId: string): Customer[] {
    return [...(this.#byOrg.get(orgId)?.values() ?? [])];
  }
}
