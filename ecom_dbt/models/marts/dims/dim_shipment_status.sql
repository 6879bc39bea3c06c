-- Shipment statuses (contract enum), keyed by the hashed code.
{{ static_dimension('shipment_status_key', 'shipment_status', [
    ['pending', 'Pending'],
    ['shipped', 'Shipped'],
    ['in_transit', 'In transit'],
    ['delivered', 'Delivered'],
    ['returned', 'Returned'],
    ['lost', 'Lost'],
]) }}
