{{ config(
    unique_key='shipment_id',
    **redshift_table(dist='order_id', sort=['shipped_date_key'])
) }}

{%- set columns = [
    'shipment_id', 'order_id', 'carrier', 'shipment_status', 'shipped_ts', 'delivered_ts',
    'updated_at', 'source_dt', 'source_file', 'source_line', 'ingested_at',
] %}

with shipments as (

    select * from {{ ref('stg_shipments') }}

),

shipment_statuses as (

    select * from {{ ref('dim_shipment_status') }}

),

window_rows as (

    {{ select_window('shipments', columns) }}

),

candidates as (

    select * from window_rows
    {% if is_incremental_run() %}
    union all
    -- Accumulating snapshot: each new version of a shipment replaces the row if it is later.
    select
        {{ column_list(columns) }}
    from {{ this }}
    where shipment_id in (select shipment_id from window_rows)
    {% endif %}

),

deduplicated as (

    -- The latest version (greatest updated_at) wins, whichever arrived last.
    {{ first_by('candidates', 'shipment_id', 'updated_at desc, source_dt') }}

),

final as (

    select
        deduplicated.shipment_id,
        deduplicated.order_id,
        deduplicated.carrier,
        coalesce(shipment_statuses.shipment_status_key, -1) as shipment_status_key,
        deduplicated.shipment_status,
        -- Milestones not reached yet are null, not unknown.
        case when deduplicated.shipped_ts is not null then {{ date_key('deduplicated.shipped_ts') }} end
            as shipped_date_key,
        case when deduplicated.delivered_ts is not null then {{ date_key('deduplicated.delivered_ts') }} end
            as delivered_date_key,
        {{ dbt.datediff('cast(deduplicated.shipped_ts as date)', 'cast(deduplicated.delivered_ts as date)', 'day') }}
            as days_to_deliver,
        deduplicated.shipped_ts,
        deduplicated.delivered_ts,
        deduplicated.updated_at,
        deduplicated.source_dt,
        -- Lineage of the version the row reflects (the latest).
        deduplicated.source_file,
        deduplicated.source_line,
        deduplicated.ingested_at
    from deduplicated
    left join shipment_statuses
        on shipment_statuses.shipment_status = deduplicated.shipment_status
        and shipment_statuses.shipment_status_key <> -1

)

select * from final
