// Tables of migration 023_associations (companies, custom objects, association types and associations).

export interface CompaniesTable {
  id: string;
  workspace_id: string;
  name: string;
  domain: string | null;
  phone: string | null;
  address: string | null;
  created_at: number;
  updated_at: number;
}

export interface ObjectTypesTable {
  id: string;
  workspace_id: string;
  name: string;
  plural_name: string;
  /** JSON ObjectField[] */
  fields: string;
  created_at: number;
  updated_at: number;
}

export interface ObjectRecordsTable {
  id: string;
  workspace_id: string;
  type_id: string;
  name: string;
  /** JSON { key: value } */
  fields: string;
  created_at: number;
  updated_at: number;
}

export interface AssociationTypesTable {
  id: string;
  workspace_id: string;
  target_kind: string;
  object_type_id: string | null;
  label: string;
  reverse_label: string | null;
  created_at: number;
  updated_at: number;
}

export interface AssociationsTable {
  id: string;
  workspace_id: string;
  type_id: string;
  contact_id: string;
  target_kind: string;
  target_id: string;
  created_by: string | null;
  created_at: number;
}

export interface AssociationTables {
  companies: CompaniesTable;
  object_types: ObjectTypesTable;
  object_records: ObjectRecordsTable;
  association_types: AssociationTypesTable;
  associations: AssociationsTable;
}
