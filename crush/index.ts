// rados-ts/crush: pure placement (CRUSH, OSDMap, object -> PG -> OSD). No sockets, no Node APIs.
