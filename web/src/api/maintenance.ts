// maintenance: work orders (server/api/openapi/maintenance.json).
import { api } from "./client";
import { Instant } from "./time";

export type WorkOrderKind = "door_alignment" | "battery" | "hub" | "lock_hardware";
export interface WorkOrder {
  id: string;
  site: string;
  lock: string | null; // every kind but hub
  hub: string | null; // kind hub
  kind: WorkOrderKind;
  status: "open" | "taken" | "closed";
  opened_at: Instant;
  reason: string;
  forecast_empty_at?: Instant | null;
  taken_by: string | null;
  taken_at: Instant | null;
  closed_by: string | null;
  closed_at: Instant | null;
  closed_note?: string | null;
}

export const listWorkOrders = (site: string, status?: string, kind?: string) =>
  api.get<{ work_orders: WorkOrder[] }>("/api/v1/sites/{site}/work_orders", { params: { site }, query: { status, kind } });
export const takeWorkOrder = (site: string, id: string) =>
  api.post<WorkOrder>("/api/v1/sites/{site}/work_orders/{work_order}/take", { params: { site, work_order: id } });
export const closeWorkOrder = (site: string, id: string, note: string) =>
  api.post<WorkOrder>("/api/v1/sites/{site}/work_orders/{work_order}/close", { params: { site, work_order: id }, body: { note } });

export const kindWords: Record<WorkOrderKind, string> = {
  door_alignment: "Door alignment (repeated jams)",
  battery: "Battery",
  hub: "Hub offline",
  lock_hardware: "Lock hardware",
};
