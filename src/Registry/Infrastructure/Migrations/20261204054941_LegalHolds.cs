using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Registry.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class LegalHolds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "legal_hold_id",
                table: "records",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "legal_holds",
                columns: table => new
                {
                    hold_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    register = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    basis = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    placed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lifted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_legal_holds", x => x.hold_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_records_legal_hold_id",
                table: "records",
                column: "legal_hold_id",
                filter: "legal_hold_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_legal_holds_subject_id",
                table: "legal_holds",
                column: "subject_id",
                filter: "lifted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "legal_holds");

            migrationBuilder.DropIndex(
                name: "ix_records_legal_hold_id",
                table: "records");

            migrationBuilder.DropColumn(
                name: "legal_hold_id",
                table: "records");
        }
    }
}
