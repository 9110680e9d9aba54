/** One quarantined object (`GET /api/sync/quarantine`). */
export interface QuarantinedObject {
  key: string;
  original_key: string;
  quarantined_on: string;
  size: number;
  last_modified: string;
  purge_after: string;
}

export interface QuarantinePage {
  objects: QuarantinedObject[];
  next_cursor: string | null;
}
