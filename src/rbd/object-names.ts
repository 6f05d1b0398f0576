// The RADOS objects an RBD pool holds (librbd/Utils.cc, include/rbd_types.h).
export const DIRECTORY = 'rbd_directory';
export const CHILDREN = 'rbd_children';
export const RBD_INFO = 'rbd_info';
export const headerName = (id: string): string => `rbd_header.${id}`;
export const idObjectName = (name: string): string => `rbd_id.${name}`;
