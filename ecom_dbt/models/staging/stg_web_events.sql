with source as (

    select * from {{ silver_source('web_events') }}

),

renamed as (

    select
        event_id,
        session_id,
        customer_id,
        event_type,
        product_id,
        event_ts,
        device,
        page_url,
        cast(dt as date) as source_dt,
        _source_file as source_file,
        _line_number as source_line,
        _ingested_at as ingested_at
    from source

)

select * from renamed
