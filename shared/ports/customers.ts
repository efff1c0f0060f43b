import type { Customer } from '../domain/model.js';
import type { Page, PageRequest } from './paging.js';

export interface CustomerRepository {
  /** `login` as stored: lower-cased (callers normalise what a person typed). */
  get(login: string): Promise<Customer | undefined>;
  /** Sorted by login. */
  list(page?: PageRequest): Promise<Page<Customer>>;
  /** Enables or disables; the customer as it is now, or undefined when there is none. */
  setDisabled(login: string, disabled: boolean): Promise<Customer | undefined>;
  /** A spent link was clicked while no newer link was active (the add-on's failed-login counter). */
  countFailedLogin(login: string): Promise<void>;
}
