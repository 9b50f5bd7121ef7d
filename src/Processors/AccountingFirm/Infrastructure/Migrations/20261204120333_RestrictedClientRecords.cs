using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Processors.AccountingFirm.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class RestrictedClientRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "restricted_at",
                table: "client_records",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "restricted_at",
                table: "client_records");
        }
    }
}
