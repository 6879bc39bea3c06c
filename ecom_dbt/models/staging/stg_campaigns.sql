with source as (

    select * from {{ silver_source('campaigns') }}

),

renamed as (

    select
        campaign_id,
        campaign_name,
        channel,
        start_date,
        end_date,
        budget,
        updated_at,
        cast(dt as date) as source_dt,
        _source_file as source_file,
        _line_number as source_line,
        _ingested_at as ingested_at
    from source

)

select * from renamed
