using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.RightsRequests.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class VerifiedIdentifiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "verified_identifiers",
                table: "rights_requests",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            // Requests verified before this column: a one-time code proved the e-mail only; staff, what was given.
            migrationBuilder.Sql("""
                UPDATE rights_requests SET verified_identifiers = CASE
                    WHEN verification_method = 'OneTimeCode' THEN ARRAY['email']
                    ELSE array_remove(ARRAY[
                        CASE WHEN subject_email IS NOT NULL THEN 'email' END,
                        CASE WHEN subject_phone IS NOT NULL THEN 'phone' END,
                        CASE WHEN subject_hetu IS NOT NULL THEN 'hetu' END,
                        CASE WHEN subject_business_id IS NOT NULL THEN 'businessId' END,
                        CASE WHEN subject_customer_number IS NOT NULL THEN 'customerNumber' END], NULL) END
                WHERE verification_method IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "verified_identifiers",
                table: "rights_requests");
        }
    }
}
